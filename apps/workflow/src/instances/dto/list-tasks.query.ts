import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';

export class ListTasksQuery {
  @ApiPropertyOptional({ description: "Only this reviewing organisation's tasks, by directory code.", example: 'lishui-commerce' })
  @IsOptional() @IsString()
  organisation?: string;

  @ApiPropertyOptional({ description: 'Only tasks in this state.', enum: ['pending', 'approved', 'rejected', 'withdrawn'], example: 'pending' })
  @IsOptional() @IsIn(['pending', 'approved', 'rejected', 'withdrawn'])
  status?: 'pending' | 'approved' | 'rejected' | 'withdrawn';

  @ApiPropertyOptional({ description: "Only this submission's tasks.", format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  @IsOptional() @IsUUID()
  submissionId?: string;

  @ApiPropertyOptional({ description: 'How many tasks at most.', type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'How many tasks to skip.', type: 'integer', minimum: 0, default: 0, example: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}
