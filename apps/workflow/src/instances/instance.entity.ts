import type { SubmissionSummary } from '@shanhai/contracts';
import type { ChainStep, InstanceStatus, PartyState } from '@shanhai/domain';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * One run of an approval definition over a submission, across its revisions: a return for
 * correction hands it back to the applicant, and the next revision re-enters it.
 */
@Entity({ name: 'instances' })
@Index('instances_submission_key', ['submissionId'], { unique: true })
export class Instance {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  /** The revision under review (or, when returned, the one returned). */
  @Column({ type: 'int' })
  revision!: number;

  /** The facts workflow was given with the revision under review, carried into every event it emits. */
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

  /** How many times a step was entered; tasks belong to one round. */
  @Column({ type: 'int' })
  round!: number;

  /** Each step's mode and parties, resolved when the instance started. */
  @Column({ type: 'jsonb' })
  chain!: ChainStep[];

  /** The current step's parties in the current round. */
  @Column({ type: 'jsonb' })
  parties!: PartyState[];

  /** The steps whose time limit was extended (延期), once each. */
  @Column({ name: 'extended_steps', type: 'jsonb' })
  extendedSteps!: number[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Optimistic lock: a decision saves only if nobody decided since it was loaded. */
  @VersionColumn()
  version!: number;
}
