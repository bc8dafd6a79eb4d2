import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * `failed`: a temporary failure, waiting for its retry. `dead`: refused for good (5xx) or out of
 * attempts; nothing retries it until someone re-drives it.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['queued', 'sending', 'sent', 'failed', 'dead'];

/**
 * One email: exactly one row per (event, recipient, template). The row is claimed before the
 * send, and its Message-ID is derived from that key, so a resend after a crash is recognisable.
 */
@Entity({ name: 'deliveries' })
@Index('deliveries_event_recipient_template_key', ['eventId', 'recipient', 'template'], { unique: true })
@Index('deliveries_submission_idx', ['submissionId'])
@Index('deliveries_recipient_idx', ['recipient'])
@Index('deliveries_status_idx', ['status', 'createdAt'])
export class Delivery {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_name', type: 'text' })
  eventName!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ name: 'recipient_name', type: 'text' })
  recipientName!: string;

  @Column({ type: 'text' })
  template!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text' })
  html!: string;

  @Column({ name: 'message_id', type: 'text', unique: true })
  messageId!: string;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Why the delivery is dead: the last SMTP response, or the attempts running out. */
  @Column({ name: 'dead_reason', type: 'text', nullable: true })
  deadReason!: string | null;

  /** The SMTP transport of the last attempt (`smtp://host:port`). */
  @Column({ type: 'text', nullable: true })
  transport!: string | null;

  /** How often it was re-driven; names each re-drive's job. */
  @Column({ type: 'int', default: 0 })
  redrives!: number;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
