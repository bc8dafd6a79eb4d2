import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** A reviewer's decision on a task; who decides is the signed-in reviewer. */
export class DecideRequest {
  @ApiProperty({ description: 'Approve the step (the next one is assigned, or the plan is approved), or reject the plan.', enum: ['approve', 'reject'], example: 'approve' })
  @IsIn(['approve', 'reject'])
  outcome!: 'approve' | 'reject';

  @ApiPropertyOptional({ description: "The reviewer's opinion on an approval.", maxLength: 2000, example: '同意上报。' })
  @IsOptional() @IsString() @MaxLength(2000)
  opinion?: string;

  /** Required when rejecting: the applicant is told why. */
  @ApiPropertyOptional({ description: 'Required when rejecting, and not only whitespace: the applicant is told why.', maxLength: 2000, example: '开发区四至范围与国土空间总体规划不符，请核实后重新申报。' })
  @ValidateIf((o: DecideRequest) => o.outcome === 'reject')
  @IsString() @IsNotEmpty({ message: 'reason is required when rejecting' }) @MaxLength(2000)
  reason?: string;
}

/** The documented examples, each valid as it stands. */
export const decisionExamples = {
  approve: {
    summary: 'Approve the step, with an opinion',
    value: { outcome: 'approve', opinion: '同意上报。' },
  },
  reject: {
    summary: 'Reject the plan, with the reason the applicant is told',
    value: { outcome: 'reject', reason: '开发区四至范围与国土空间总体规划不符，请核实后重新申报。' },
  },
} satisfies Record<string, { summary: string; value: DecideRequest }>;
