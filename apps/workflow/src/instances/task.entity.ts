import type { DeficiencyNote } from '@shanhai/domain';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** `closed`: the step was decided without this party (another any-of party, or another's rejection or return). */
export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'withdrawn' | 'closed';
export const taskStatuses: readonly TaskStatus[] = ['pending', 'approved', 'rejected', 'returned', 'withdrawn', 'closed'];

/** One party's share of one round of a step: awaiting (or given) a reviewing organisation's decision. */
@Entity({ name: 'tasks' })
@Index('tasks_instance_step_round_party_key', ['instanceId', 'stepIndex', 'round', 'party'], { unique: true })
@Index('tasks_organisation_status_idx', ['organisationCode', 'status'])
export class Task {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @Column({ name: 'step_index', type: 'int' })
  stepIndex!: number;

  @Column({ type: 'int' })
  round!: number;

  /** The submission revision the task reviews. */
  @Column({ type: 'int' })
  revision!: number;

  /** The party's index among the step's parties. */
  @Column({ type: 'int' })
  party!: number;

  @Column({ name: 'step_key', type: 'text' })
  stepKey!: string;

  @Column({ name: 'step_name', type: 'text' })
  stepName!: string;

  @Column({ name: 'organisation_code', type: 'text' })
  organisationCode!: string;

  @Column({ name: 'organisation_name', type: 'text' })
  organisationName!: string;

  @Column({ name: 'organisation_email', type: 'text' })
  organisationEmail!: string;

  @Column({ type: 'text' })
  status!: TaskStatus;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  opinion!: string | null;

  /** Set when the task was delegated (转办): only this colleague may decide it. */
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'assignee_name', type: 'text', nullable: true })
  assigneeName!: string | null;

  @Column({ name: 'delegated_by', type: 'text', nullable: true })
  delegatedBy!: string | null;

  /** Whom the decider acted for: the delegator, when a delegate decided. */
  @Column({ name: 'acting_for', type: 'text', nullable: true })
  actingFor!: string | null;

  /** The correction notice's deficiencies, when this task returned the submission. */
  @Column({ type: 'jsonb', nullable: true })
  deficiencies!: DeficiencyNote[] | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
