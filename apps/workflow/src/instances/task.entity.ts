import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** A step awaiting (or given) a reviewing organisation's decision. */
@Entity({ name: 'tasks' })
@Index('tasks_instance_step_key', ['instanceId', 'stepIndex'], { unique: true })
@Index('tasks_organisation_status_idx', ['organisationCode', 'status'])
export class Task {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @Column({ name: 'step_index', type: 'int' })
  stepIndex!: number;

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

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
