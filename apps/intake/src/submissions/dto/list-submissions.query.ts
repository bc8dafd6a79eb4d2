import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { submissionStatuses as statuses } from '@shanhai/domain';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

/** Paging and a status filter; what a caller may see is decided by who it is, not by the query. */
export class ListSubmissionsQuery {
  @ApiPropertyOptional({ enum: statuses, example: 'in_review', description: 'Only submissions in this status.' })
  @IsOptional() @IsIn(statuses)
  status?: (typeof statuses)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Page size.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'How many to skip, newest first.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}
