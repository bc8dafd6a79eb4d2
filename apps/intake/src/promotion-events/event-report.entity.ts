import type { SignedProject } from '@shanhai/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** PostgreSQL returns numeric as text so as not to lose digits; amounts here have four decimals at most, well within a double. */
const numeric = { to: (value: number): number => value, from: (value: string | null): number | null => (value === null ? null : Number(value)) };

/** The report an approved event files after it is held: the projects signed there, replaced as a whole by each update. */
@Entity({ name: 'event_reports' })
export class EventReport {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'jsonb' })
  projects!: SignedProject[];

  /** Sum of the projects' amounts in 亿元, kept for lists and statistics that do not open the projects. */
  @Column({ name: 'total_amount_yi', type: 'numeric', precision: 14, scale: 4, transformer: numeric })
  totalAmountYi!: number;

  /** Optimistic lock: 1 for the first filing, +1 for each update. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
