import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A workflow event the notifier planned notices for, written in the inbox transaction with its
 * deliveries. The reconciler checks that each one's deliveries all end `sent` or `dead` in time.
 */
@Entity({ name: 'notified_events' })
export class NotifiedEvent {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_name', type: 'text' })
  eventName!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** How many deliveries plan() meant to create (after preferences): 0 when every notice was muted. */
  @Column({ type: 'int' })
  planned!: number;

  /** Set once every planned delivery ended `sent` or `dead`: the reconciler looks at it no more. */
  @Column({ name: 'reconciled_at', type: 'timestamptz', nullable: true })
  reconciledAt!: Date | null;

  /** When the reconciler last logged it as overdue, so it warns once per period rather than every check. */
  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt!: Date | null;
}
