import type { Contact, Deficiency, SubmissionKind } from '@shanhai/contracts';
import type { SubmissionStatus } from '@shanhai/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** What intake knows of the step under review, from workflow's events. */
export interface CurrentStep {
  index: number;
  name: string;
  organisation: string;
  organisationCode?: string;
  stepCount: number;
}

/**
 * A reviewer's correction notice (补正通知), from workflow's `approval.returned`: which revision,
 * at which step, who returned it (and for whom, when a delegate decided), and every deficiency.
 */
export interface CorrectionNotice {
  revision: number;
  step: { index: number; key: string; name: string; organisation: string };
  returnedBy: string;
  actingFor: string | null;
  opinion: string | null;
  deficiencies: Deficiency[];
  /** ISO 8601, when workflow returned it. */
  at: string;
}

@Entity({ name: 'submissions' })
export class Submission {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: SubmissionKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode!: string;

  @Column({ name: 'county_name', type: 'text' })
  countyName!: string;

  @Column({ name: 'city_code', type: 'text' })
  cityCode!: string;

  @Column({ name: 'city_name', type: 'text' })
  cityName!: string;

  @Column({ type: 'jsonb' })
  contact!: Contact;

  @Column({ type: 'jsonb' })
  stakeholders!: Contact[];

  /** 0 while a first draft; N after the Nth submit. */
  @Column({ type: 'int', default: 0 })
  revision!: number;

  @Column({ type: 'text' })
  status!: SubmissionStatus;

  /** The kind's own fields (a plan's blocks, an event's programme), validated at the edge. */
  @Column({ type: 'jsonb', default: {} })
  content!: Record<string, unknown>;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'paired_zone_code', type: 'text', nullable: true })
  pairedZoneCode!: string | null;

  /** Every organisation a step was assigned to: they may read the submission. */
  @Column({ name: 'reviewing_organisations', type: 'text', array: true, default: () => "'{}'" })
  reviewingOrganisations!: string[];

  @Column({ name: 'current_step', type: 'jsonb', nullable: true })
  currentStep!: CurrentStep | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /** When the applicant asked workflow to withdraw it; until workflow answers it is neither edited nor submitted again. */
  @Column({ name: 'withdrawal_requested_at', type: 'timestamptz', nullable: true })
  withdrawalRequestedAt!: Date | null;

  /** The notice to act on while `returned`; null otherwise (the next submit clears it). */
  @Column({ type: 'jsonb', nullable: true })
  correction!: CorrectionNotice | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}

/** The content as submitted in one revision: frozen, for comparisons and the audit. */
@Entity({ name: 'submission_revisions' })
export class SubmissionRevision {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @PrimaryColumn({ type: 'int' })
  revision!: number;

  /** The title as submitted; null on revisions from before it was kept. */
  @Column({ type: 'text', nullable: true })
  title!: string | null;

  /** The content as workflow received it: the kind's fields, the paired zone and the contact. */
  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  /** The notice this revision was returned with, kept for good; null if it was not returned. */
  @Column({ type: 'jsonb', nullable: true })
  correction!: CorrectionNotice | null;
}
