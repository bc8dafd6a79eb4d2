import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

const outcomes = ['approve', 'reject', 'return', 'delegate'] as const;

/** One deficiency of a correction notice (补正). */
export class DeficiencyRequest {
  @ApiProperty({ description: 'What is deficient: a field of the submission, or an attached document.', enum: ['field', 'attachment'], example: 'field' })
  @IsIn(['field', 'attachment'])
  target!: 'field' | 'attachment';

  @ApiProperty({
    description: 'A field path as `GET /instances/{id}/diff` names fields (`title`, `content.blocks.0.areaKm2`), or an attachment kind (`land_use_plan`).',
    maxLength: 200,
    example: 'content.blocks.0.boundary.east',
  })
  @IsString() @IsNotEmpty() @MaxLength(200)
  ref!: string;

  @ApiProperty({ description: 'What is wrong and what the applicant must do.', maxLength: 2000, example: '东至边界与国土空间规划“三区三线”不一致，请核实后修正。' })
  @IsString() @IsNotEmpty() @MaxLength(2000)
  note!: string;
}

/** The colleague a task is delegated to. */
export class DelegateRequest {
  @ApiProperty({ description: "The colleague's user id (same organisation).", format: 'uuid', example: '3b1f6f0e-8d2a-4c4e-9a57-2f1d0c9b8a71' })
  @IsUUID()
  userId!: string;

  @ApiProperty({ description: 'Their name, as shown in timelines and the audit.', maxLength: 200, example: '浙江省商务厅 审核员 李' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;
}

/** A reviewer's decision on a task; who decides is the signed-in reviewer. */
export class DecideRequest {
  @ApiProperty({
    description:
      'approve the step (on a countersign step, this party\'s share of it); reject the submission (final, reason required); ' +
      'return it for correction (补正, every deficiency in one notice); or delegate the task to a colleague of the same organisation (转办).',
    enum: outcomes,
    example: 'approve',
  })
  @IsIn(outcomes)
  outcome!: (typeof outcomes)[number];

  @ApiPropertyOptional({ description: "The reviewer's opinion on an approval or a return.", maxLength: 2000, example: '同意上报。' })
  @IsOptional() @IsString() @MaxLength(2000)
  opinion?: string;

  @ApiPropertyOptional({
    description: 'Required when rejecting, and not only whitespace: the applicant is told why. Optional when delegating.',
    maxLength: 2000,
    example: '开发区四至范围与国土空间总体规划不符，请核实后重新申报。',
  })
  @ValidateIf((o: DecideRequest) => o.outcome === 'reject' || o.reason !== undefined)
  @IsString() @IsNotEmpty({ message: 'reason is required when rejecting' }) @MaxLength(2000)
  reason?: string;

  // Checked whenever given, as `reason` is: a malformed list beside another outcome is refused, not silently dropped.
  @ApiPropertyOptional({ type: [DeficiencyRequest], description: 'Required when returning: every deficiency, each once.', minItems: 1, maxItems: 100 })
  @ValidateIf((o: DecideRequest) => o.outcome === 'return' || o.deficiencies !== undefined)
  @IsDefined({ message: 'deficiencies are required when returning for correction' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => DeficiencyRequest)
  deficiencies?: DeficiencyRequest[];

  @ApiPropertyOptional({ type: DelegateRequest, description: 'Required when delegating.' })
  @ValidateIf((o: DecideRequest) => o.outcome === 'delegate' || o.to !== undefined)
  @IsDefined({ message: 'to is required when delegating' }) @IsObject() @ValidateNested() @Type(() => DelegateRequest)
  to?: DelegateRequest;
}

/** An admin's reassignment of a pending task to another organisation. */
export class ReassignRequest {
  @ApiProperty({ description: "The organisation's directory code.", example: 'zj-commerce' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  organisation!: string;

  @ApiPropertyOptional({ description: 'Why, for the audit trail.', maxLength: 2000, example: '机构调整，改由省商务厅办理。' })
  @IsOptional() @IsString() @MaxLength(2000)
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
  return: {
    summary: 'Return for correction (补正), listing every deficiency',
    value: {
      outcome: 'return',
      opinion: '请按以下意见补正后重新提交。',
      deficiencies: [
        { target: 'field', ref: 'content.blocks.0.boundary.east', note: '东至边界与国土空间规划不一致，请核实。' },
        { target: 'attachment', ref: 'plan_eia_review_opinion', note: '规划环评审查意见缺少审查机关盖章。' },
      ],
    },
  },
  delegate: {
    summary: 'Delegate the task to a colleague (转办)',
    value: { outcome: 'delegate', to: { userId: '3b1f6f0e-8d2a-4c4e-9a57-2f1d0c9b8a71', name: '浙江省商务厅 审核员 李' }, reason: '请李处长主办。' },
  },
} satisfies Record<string, { summary: string; value: DecideRequest }>;
