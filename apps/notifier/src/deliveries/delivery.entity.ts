import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed';

/**
 * One email: exactly one row per (event, recipient, template). The row is claimed before the
 * send, and its Message-ID is derived from that key, so a resend after a crash is recognisable.
 */
@Entity({ name: 'deliveries' })
@Index('deliveries_event_recipient_template_key', ['eventId', 'recipient', 'template'], { unique: true })
@Index('deliveries_submission_idx', ['submissionId'])
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

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
