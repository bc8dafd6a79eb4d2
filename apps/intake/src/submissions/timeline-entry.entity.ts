import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One line of a submission's progress, as the applicant sees it. */
@Entity({ name: 'timeline_entries' })
@Index('timeline_entries_submission_idx', ['submissionId', 'at'])
export class TimelineEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  /** The message that caused it: redelivery can never add a line twice. */
  @Column({ name: 'message_id', type: 'uuid', unique: true })
  messageId!: string;

  @Column({ type: 'text' })
  event!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'text', nullable: true })
  opinion!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
