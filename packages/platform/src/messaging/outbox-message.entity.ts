import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A job waiting to be put on a BullMQ queue. Written in the same transaction as the state change
 * that caused it; the relay moves committed rows to Redis and stamps `dispatchedAt`.
 */
@Entity({ name: 'outbox' })
@Index('outbox_pending_idx', ['seq'], { where: '"dispatched_at" IS NULL' })
export class OutboxMessage {
  @PrimaryColumn('uuid')
  id!: string;

  /** The order the messages were written in (an identity column): the relay keeps it. */
  @Column({ type: 'bigint', insert: false, update: false, generatedIdentity: 'ALWAYS', generated: 'identity' })
  seq!: string;

  @Column({ type: 'text' })
  queue!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** The BullMQ job id: the message id, so a second add of the same job is a no-op. */
  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  @Column({ type: 'jsonb' })
  data!: object;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;
}
