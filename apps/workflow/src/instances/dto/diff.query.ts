import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class DiffQuery {
  @ApiPropertyOptional({ description: 'The earlier revision; by default the one before `to`. 0 is the empty submission, against which every field is added.', type: 'integer', minimum: 0, example: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  from?: number;

  @ApiPropertyOptional({ description: 'The later revision; by default the one under review.', type: 'integer', minimum: 1, example: 2 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  to?: number;
}
