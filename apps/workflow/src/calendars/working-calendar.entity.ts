import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One year of the PRC working-day calendar, as an admin loaded it (see WorkingCalendar in @shanhai/domain). */
@Entity({ name: 'working_calendars' })
export class WorkingCalendarRow {
  @PrimaryColumn({ type: 'int' })
  year!: number;

  /** ISO dates, ascending. */
  @Column({ type: 'jsonb' })
  holidays!: string[];

  @Column({ name: 'make_up_workdays', type: 'jsonb' })
  makeUpWorkdays!: string[];

  /** The notice it comes from. */
  @Column({ type: 'text', nullable: true })
  source!: string | null;

  /** From 1, bumped by every change. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The admin's name, or `system` for a calendar shipped with a migration. */
  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}
