import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** `/calendars/{year}`: four digits from 2000 to 2100, as the path writes them (see DefinitionVersionParams on why digits). */
export class CalendarYearParams {
  @ApiProperty({ description: 'The calendar year.', type: 'integer', minimum: 2000, maximum: 2100, example: 2026 })
  @Matches(/^(20\d\d|2100)$/, { message: 'year must be a year from 2000 to 2100, in digits' })
  year!: string;
}
