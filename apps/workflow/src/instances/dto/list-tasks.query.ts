import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { taskStatuses, type TaskStatus } from '../task.entity.js';

export class ListTasksQuery {
  @ApiPropertyOptional({ description: "Only this reviewing organisation's tasks, by directory code.", example: 'lishui-commerce' })
  @IsOptional() @IsString()
  organisation?: string;

  @ApiPropertyOptional({ description: 'Only tasks in this state.', enum: taskStatuses, example: 'pending' })
  @IsOptional() @IsIn(taskStatuses)
  status?: TaskStatus;

  @ApiPropertyOptional({ description: 'Only tasks on submissions of this kind.', enum: ['zone_plan', 'promotion_event'], example: 'zone_plan' })
  @IsOptional() @IsIn(['zone_plan', 'promotion_event'])
  kind?: 'zone_plan' | 'promotion_event';

  @ApiPropertyOptional({ description: 'Only tasks of this step, by its key.', example: 'joint_review' })
  @IsOptional() @IsString()
  step?: string;

  @ApiPropertyOptional({ description: 'Only tasks delegated to me (`true`).', enum: ['true', 'false'], example: 'true' })
  @IsOptional() @IsIn(['true', 'false'])
  mine?: 'true' | 'false';

  @ApiPropertyOptional({ description: "Only this submission's tasks.", format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  @IsOptional() @IsUUID()
  submissionId?: string;

  @ApiPropertyOptional({ description: "Only tasks whose round is due before this date (a China date, Asia/Shanghai): `due_before=2026-10-12` lists those due on Oct 11 or earlier.", format: 'date', example: '2026-10-12' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'due_before must be a date, YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'due_before must be a real date' })
  due_before?: string;

  @ApiPropertyOptional({ description: 'Only pending tasks past the end of their due day in Asia/Shanghai (`true`), or only the others (`false`).', enum: ['true', 'false'], example: 'true' })
  @IsOptional() @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'How many tasks at most.', type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'How many tasks to skip.', type: 'integer', minimum: 0, default: 0, example: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}
