import type { SubmissionSummary } from '@shanhai/contracts';
import type { InstanceStatus } from '@shanhai/domain';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** One run of an approval definition over one revision of a submission. */
@Entity({ name: 'instances' })
@Index('instances_submission_revision_key', ['submissionId', 'revision'], { unique: true })
export class Instance {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'int' })
  revision!: number;

  /** The facts workflow was given at submission, carried into every event it emits. */
  @Column({ type: 'jsonb' })
  submission!: SubmissionSummary;

  @Column({ name: 'definition_key', type: 'text' })
  definitionKey!: string;

  @Column({ name: 'definition_version', type: 'int' })
  definitionVersion!: number;

  @Column({ type: 'text' })
  status!: InstanceStatus;

  @Column({ name: 'current_step', type: 'int' })
  currentStep!: number;

  @Column({ name: 'step_count', type: 'int' })
  stepCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Optimistic lock: a decision saves only if nobody decided since it was loaded. */
  @VersionColumn()
  version!: number;
}
