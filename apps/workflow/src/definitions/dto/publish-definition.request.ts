import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFINITION_LIMITS } from '@shanhai/domain';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';

/*
 * These classes check only the shape of a definition (types, and no unknown fields); the rules
 * (kinds, keys, organisations, limits) are the domain's `validateDefinition`, which lists every
 * problem of a well-formed body at once.
 */

export class ReviewerRequest {
  @ApiProperty({
    description:
      'Who reviews: `organisation` (a fixed organisation, by `code`), `city_commerce_bureau` (the commerce bureau of the applicant\'s city) ' +
      'or `host_organisation` (the host the submission names; promotion events only).',
    enum: ['organisation', 'city_commerce_bureau', 'host_organisation'],
    example: 'organisation',
  })
  @IsString()
  kind!: string;

  @ApiPropertyOptional({ description: "The organisation's directory code; only with `organisation`.", example: 'zj-commerce' })
  @IsOptional() @IsString()
  code?: string;
}

/** Where an overdue step is escalated (督办): its own organisation's supervisors, or another organisation of the directory. */
export class EscalationRequest {
  @ApiProperty({
    description: "`supervisor`: the supervisors of the step's own organisation (its accounts marked `supervisor` in the directory; its mailbox when it has none); `organisation`: the people of another organisation (`code`).",
    enum: ['supervisor', 'organisation'],
    example: 'organisation',
  })
  @IsString()
  kind!: string;

  @ApiPropertyOptional({ description: "The organisation's directory code; only for `organisation`.", example: 'zj-gov' })
  @IsOptional() @IsString()
  code?: string;
}

export class StepRequest {
  @ApiProperty({ description: 'Unique within the definition.', pattern: '^[a-z][a-z0-9_]{1,63}$', example: 'province_review' })
  @IsString()
  key!: string;

  @ApiProperty({ minLength: 1, maxLength: DEFINITION_LIMITS.maxName, example: '省商务厅审核' })
  @IsString()
  name!: string;

  @ApiPropertyOptional({
    description:
      'How the step is decided: `single` (one `reviewer`), `all_of` (会签: every one of `reviewers` must approve) or `any_of` (或签: the first of `reviewers` to decide decides).',
    enum: ['single', 'all_of', 'any_of'],
    default: 'single',
    example: 'single',
  })
  @IsOptional() @IsString()
  mode?: string;

  @ApiPropertyOptional({ type: ReviewerRequest, description: 'The reviewer of a single step.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ReviewerRequest)
  reviewer?: ReviewerRequest;

  @ApiPropertyOptional({
    type: [ReviewerRequest],
    description: `The reviewers of an all_of or any_of step, ${DEFINITION_LIMITS.minReviewers} to ${DEFINITION_LIMITS.maxReviewers}, each a different organisation.`,
  })
  @IsOptional() @IsArray() @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => ReviewerRequest)
  reviewers?: ReviewerRequest[];

  @ApiPropertyOptional({
    description: 'Working days the reviewers have for the step (办理时限), counted on the working-day calendar from the day the step is entered; stopped while the submission is back for correction. None: the step has no clock.',
    type: 'integer',
    minimum: DEFINITION_LIMITS.minTimeLimit,
    maximum: DEFINITION_LIMITS.maxTimeLimit,
    example: 10,
  })
  @IsOptional() @IsInt()
  timeLimitBusinessDays?: number;

  @ApiPropertyOptional({
    description: "The most working days the step's one extension (延期) may add; absent: up to the step's own limit. Needs `timeLimitBusinessDays`.",
    type: 'integer',
    minimum: DEFINITION_LIMITS.minTimeLimit,
    maximum: DEFINITION_LIMITS.maxTimeLimit,
    example: 5,
  })
  @IsOptional() @IsInt()
  maxExtensionBusinessDays?: number;

  @ApiPropertyOptional({
    type: EscalationRequest,
    description: "Whom the step is escalated to (督办) once its due day has passed undecided, by email with the assignees; absent: the supervisors of the step's own organisation. Needs `timeLimitBusinessDays`.",
  })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EscalationRequest)
  escalateTo?: EscalationRequest;
}

/** A new version of the definition for one submission kind; its number is assigned on publishing. */
export class PublishDefinitionRequest {
  @ApiProperty({ description: 'The submission kind the definition reviews.', enum: ['zone_plan', 'promotion_event'], example: 'zone_plan' })
  @IsString()
  key!: string;

  @ApiProperty({ minLength: 1, maxLength: DEFINITION_LIMITS.maxName, example: '经济开发区创建方案审批' })
  @IsString()
  name!: string;

  @ApiPropertyOptional({
    description: 'Working days the whole review is promised in (承诺时限), from acceptance; stopped while the submission is back for correction.',
    type: 'integer',
    minimum: DEFINITION_LIMITS.minTimeLimit,
    maximum: DEFINITION_LIMITS.maxCommittedLimit,
    example: 60,
  })
  @IsOptional() @IsInt()
  committedLimitBusinessDays?: number;

  @ApiPropertyOptional({
    description: "Working days before a step's due day that its assignees are reminded (they are also reminded on the due day); 0: on the due day only. Absent: the service's setting (DEADLINE_REMIND_BEFORE_DAYS, 2).",
    type: 'integer',
    minimum: 0,
    maximum: DEFINITION_LIMITS.maxRemindBefore,
    example: 2,
  })
  @IsOptional() @IsInt()
  remindBeforeBusinessDays?: number;

  @ApiProperty({ type: [StepRequest], description: 'The steps, decided one after the other.', minItems: DEFINITION_LIMITS.minSteps, maxItems: DEFINITION_LIMITS.maxSteps })
  @IsArray() @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => StepRequest)
  steps!: StepRequest[];
}

/** The documented examples, each valid as it stands. */
export const publishExamples = {
  zonePlanWithTimeLimits: {
    summary: 'zone_plan: the joint review (会审) as before, now with time limits',
    value: {
      key: 'zone_plan',
      name: '经济开发区创建方案审批',
      committedLimitBusinessDays: 60,
      steps: [
        { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 10, maxExtensionBusinessDays: 5 },
        { key: 'province_review', name: '省商务厅审核', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 15 },
        {
          key: 'joint_review',
          name: '省级部门会审',
          mode: 'all_of',
          reviewers: [
            { kind: 'organisation', code: 'zj-nr' },
            { kind: 'organisation', code: 'zj-drc' },
            { kind: 'organisation', code: 'zj-eco' },
          ],
          timeLimitBusinessDays: 15,
        },
        { key: 'province_approval', name: '省政府审批', reviewer: { kind: 'organisation', code: 'zj-gov' }, timeLimitBusinessDays: 20 },
        { key: 'reply_letter', name: '省政府办公厅复函', reviewer: { kind: 'organisation', code: 'zj-gov-office' }, timeLimitBusinessDays: 5 },
      ],
    },
  },
} satisfies Record<string, { summary: string; value: PublishDefinitionRequest }>;
