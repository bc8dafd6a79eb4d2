import { ApiProperty } from '@nestjs/swagger';
import { DEFINITION_LIMITS } from '@shanhai/domain';
import { IsInt, IsString, MaxLength, Min } from 'class-validator';

/** 延期: more working days for the step, once, with the reason the applicant is told. */
export class ExtendRequest {
  @ApiProperty({
    description: "Working days to add to the step's due date: 1 to the step's bound (`maxExtensionBusinessDays`, else its own limit).",
    type: 'integer',
    minimum: 1,
    maximum: DEFINITION_LIMITS.maxTimeLimit,
    example: 5,
  })
  @IsInt() @Min(1)
  days!: number;

  @ApiProperty({ description: 'Why the step needs more time; the applicant reads it.', minLength: 1, maxLength: 2000, example: '需征求省自然资源厅意见，延期 5 个工作日。' })
  @IsString() @MaxLength(2000)
  reason!: string;
}
