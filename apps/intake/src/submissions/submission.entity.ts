import type { Contact, SubmissionKind } from '@shanhai/contracts';
import type { SubmissionStatus } from '@shanhai/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** What intake knows of the step under review, from workflow's events. */
export interface CurrentStep {
  index: number;
  name: string;
  organisation: string;
  stepCount: number;
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

  @Column({ type: 'int' })
  revision!: number;

  @Column({ type: 'text' })
  status!: SubmissionStatus;

  @Column({ name: 'current_step', type: 'jsonb', nullable: true })
  currentStep!: CurrentStep | null;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
