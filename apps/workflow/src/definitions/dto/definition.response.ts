import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Reviewer } from '@shanhai/domain';
import type { PublishedDefinition } from '../definition.entity.js';

export class ReviewerResponse {
  @ApiProperty({ enum: ['organisation', 'city_commerce_bureau', 'host_organisation'], example: 'organisation' })
  kind!: string;

  @ApiPropertyOptional({ description: "The organisation's directory code; only with `organisation`.", example: 'zj-commerce' })
  code?: string;
}

export class EscalationResponse {
  @ApiProperty({ enum: ['supervisor', 'organisation'], example: 'supervisor' })
  kind!: string;

  @ApiPropertyOptional({ description: "The organisation's directory code; only with `organisation`.", example: 'zj-gov' })
  code?: string;
}

export class StepDefinitionResponse {
  @ApiProperty({ example: 'province_review' })
  key!: string;

  @ApiProperty({ example: '省商务厅审核' })
  name!: string;

  @ApiProperty({ description: 'How the step is decided: one reviewer (`single`), all of them (`all_of`, 会签) or the first to decide (`any_of`, 或签).', enum: ['single', 'all_of', 'any_of'], example: 'single' })
  mode!: string;

  @ApiPropertyOptional({ type: ReviewerResponse, description: 'The reviewer of a single step.' })
  reviewer?: ReviewerResponse;

  @ApiPropertyOptional({ type: [ReviewerResponse], description: 'The reviewers of an all_of or any_of step.' })
  reviewers?: ReviewerResponse[];

  @ApiProperty({ description: 'Working days for the step (办理时限), or null when it has no clock.', type: 'integer', nullable: true, example: 15 })
  timeLimitBusinessDays!: number | null;

  @ApiPropertyOptional({ description: "The most working days one extension (延期) may add; absent: up to the step's limit.", type: 'integer', example: 5 })
  maxExtensionBusinessDays?: number;

  @ApiPropertyOptional({ type: EscalationResponse, description: "Whom an overdue step is escalated to: `supervisor` (the step's organisation's supervisors) or another `organisation`; absent: as `supervisor`." })
  escalateTo?: EscalationResponse;
}

export class DefinitionResponse {
  @ApiProperty({ description: 'The submission kind it reviews.', example: 'zone_plan' })
  key!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  version!: number;

  @ApiProperty({ example: '经济开发区创建方案审批' })
  name!: string;

  @ApiPropertyOptional({ description: 'Working days the whole review is promised in (承诺时限); absent when none is set.', type: 'integer', example: 60 })
  committedLimitBusinessDays?: number;

  @ApiPropertyOptional({ description: "Working days before a step's due day of the early reminder; absent: the service's setting.", type: 'integer', example: 2 })
  remindBeforeBusinessDays?: number;

  @ApiProperty({ type: [StepDefinitionResponse], description: 'Decided one after the other.' })
  steps!: StepDefinitionResponse[];

  @ApiProperty({ format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  publishedAt!: string;

  @ApiProperty({ description: 'The admin who published it; `system` for the first versions.', example: '系统管理员' })
  publishedBy!: string;
}

export class DefinitionListResponse {
  @ApiProperty({ type: [DefinitionResponse] })
  items!: DefinitionResponse[];
}

export const toDefinitionResponse = (d: PublishedDefinition): DefinitionResponse => ({
  key: d.key,
  version: d.version,
  name: d.name,
  steps: d.steps.map((s) => ({
    key: s.key,
    name: s.name,
    mode: s.mode,
    ...(s.mode === 'single' ? { reviewer: reviewerResponse(s.reviewer) } : { reviewers: s.reviewers.map(reviewerResponse) }),
    timeLimitBusinessDays: s.timeLimitBusinessDays ?? null,
    ...(s.maxExtensionBusinessDays !== undefined ? { maxExtensionBusinessDays: s.maxExtensionBusinessDays } : {}),
    ...(s.escalateTo ? { escalateTo: { ...s.escalateTo } } : {}),
  })),
  ...(d.committedLimitBusinessDays !== null ? { committedLimitBusinessDays: d.committedLimitBusinessDays } : {}),
  ...(d.remindBeforeBusinessDays !== null && d.remindBeforeBusinessDays !== undefined ? { remindBeforeBusinessDays: d.remindBeforeBusinessDays } : {}),
  publishedAt: d.publishedAt.toISOString(),
  publishedBy: d.publishedBy,
});

const reviewerResponse = (r: Reviewer): ReviewerResponse => (r.kind === 'organisation' ? { kind: r.kind, code: r.code } : { kind: r.kind });
