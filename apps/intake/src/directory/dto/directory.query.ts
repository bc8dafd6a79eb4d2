import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class CountiesQuery {
  @ApiPropertyOptional({ description: 'Only the counties on the list on this date (YYYY-MM-DD)', example: '2022-01-01' })
  @IsOptional() @IsISO8601({ strict: true })
  on?: string;
}
