import type { ActorRef } from '@shanhai/contracts';
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

  /** Who acted, as a reader names them (a delegate as `name（代reviewer）`). */
  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  /** The signed-in account that acted; null where no one did (a step assigned) and on lines from before accounts were recorded. */
  @Column({ name: 'actor_account', type: 'jsonb', nullable: true })
  account!: ActorRef | null;

  @Column({ type: 'text', nullable: true })
  opinion!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
