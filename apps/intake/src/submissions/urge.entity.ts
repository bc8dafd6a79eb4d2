import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An applicant's urge (催办) of a submission under review: at most one per China date. */
@Entity({ name: 'urges' })
export class Urge {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  /** The China date (YYYY-MM-DD) it was made on. */
  @PrimaryColumn({ name: 'on_date', type: 'date' })
  onDate!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'urged_by', type: 'uuid' })
  urgedBy!: string;

  /** The `submission.urged` message it published. */
  @Column({ name: 'message_id', type: 'uuid', unique: true })
  messageId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
