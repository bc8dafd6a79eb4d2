import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

export class PutCalendarRequest {
  @ApiProperty({
    description: 'Every public holiday of the year (法定节假日) as an ISO date, the whole closure including its weekend days. Each date once.',
    type: [String],
    example: ['2027-01-01', '2027-02-06', '2027-02-07'],
  })
  @IsArray() @ArrayMaxSize(366) @IsString({ each: true }) @MaxLength(10, { each: true })
  holidays!: string[];

  @ApiProperty({
    description: 'The make-up working days (调休上班): Saturdays or Sundays that are working days. None of them a holiday.',
    type: [String],
    example: ['2027-02-14'],
  })
  @IsArray() @ArrayMaxSize(366) @IsString({ each: true }) @MaxLength(10, { each: true })
  makeUpWorkdays!: string[];

  @ApiPropertyOptional({ description: 'The notice the calendar comes from.', example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsOptional() @IsString() @MaxLength(500)
  source?: string;
}
