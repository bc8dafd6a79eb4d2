import type { StepDefinition } from '@shanhai/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One published version of an approval definition. Never updated: a change is a new version. */
@Entity({ name: 'definitions' })
export class PublishedDefinition {
  /** The submission kind it reviews. */
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  steps!: StepDefinition[];

  /** Working days the whole review is promised in (承诺时限); null: none. */
  @Column({ name: 'committed_limit_business_days', type: 'int', nullable: true })
  committedLimitBusinessDays!: number | null;

  /** Working days before a step's due day of the early reminder (ADR 0015); null: the service's setting. */
  @Column({ name: 'remind_before_business_days', type: 'int', nullable: true })
  remindBeforeBusinessDays!: number | null;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;

  /** Who published it: an admin's name, or `system` for the chains that were code before. */
  @Column({ name: 'published_by', type: 'text' })
  publishedBy!: string;
}
