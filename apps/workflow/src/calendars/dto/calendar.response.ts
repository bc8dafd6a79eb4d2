import { ApiProperty } from '@nestjs/swagger';
import type { WorkingCalendarRow } from '../working-calendar.entity.js';

export class CalendarResponse {
  @ApiProperty({ type: 'integer', example: 2026 })
  year!: number;

  @ApiProperty({ type: [String], description: 'Public holidays, ascending.', example: ['2026-01-01', '2026-01-02', '2026-01-03'] })
  holidays!: string[];

  @ApiProperty({ type: [String], description: 'Make-up working days (调休上班), ascending.', example: ['2026-01-04', '2026-02-14'] })
  makeUpWorkdays!: string[];

  @ApiProperty({ type: 'string', nullable: true, example: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）' })
  source!: string | null;

  @ApiProperty({ type: 'integer', description: 'From 1, bumped by every change.', example: 1 })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T02:00:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ example: 'system' })
  updatedBy!: string;
}

export class CalendarListResponse {
  @ApiProperty({ type: [CalendarResponse], description: 'Every loaded year, ascending.' })
  items!: CalendarResponse[];
}

export const toCalendarResponse = (c: WorkingCalendarRow): CalendarResponse => ({
  year: c.year,
  holidays: c.holidays,
  makeUpWorkdays: c.makeUpWorkdays,
  source: c.source,
  version: c.version,
  updatedAt: c.updatedAt.toISOString(),
  updatedBy: c.updatedBy,
});
