import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { submissionStatuses } from '@shanhai/domain';
import { timelineEvents } from '../review-timeline.js';
import type { CorrectionNotice, Submission } from '../submission.entity.js';
import type { TimelineEntry } from '../timeline-entry.entity.js';

export class PlaceResponse {
  @ApiProperty({ description: 'The directory code.', example: 'qingyuan' })
  code!: string;

  @ApiProperty({ description: 'The name as written in Chinese.', example: '庆元县' })
  name!: string;
}

export class ContactResponse {
  @ApiProperty({ example: '庆元县人民政府 开发区筹建办' })
  name!: string;

  @ApiProperty({ format: 'email', example: 'qingyuan@county.shanhai.example' })
  email!: string;
}

export class CurrentStepResponse {
  @ApiProperty({ description: 'The step under review, from 0.', type: 'integer', example: 0 })
  index!: number;

  @ApiProperty({ example: '市商务局初审' })
  name!: string;

  @ApiProperty({ description: 'The reviewing organisation.', example: '丽水市商务局' })
  organisation!: string;

  @ApiProperty({ description: 'How many steps the chain has.', type: 'integer', example: 3 })
  of!: number;
}

export class DeficiencyResponse {
  @ApiProperty({ enum: ['field', 'attachment'], description: 'Whether a field of the submission or one of its attachments is deficient.', example: 'field' })
  target!: 'field' | 'attachment';

  @ApiProperty({ description: 'A field path in the submitted revision (`content.blocks.0.areaKm2`, `title`) or an attachment kind (`land_use_plan`).', example: 'content.blocks.0.areaKm2' })
  ref!: string;

  @ApiProperty({ description: 'What to correct.', example: '区块面积与土地利用规划不一致，请核实' })
  note!: string;
}

export class CorrectionStepResponse {
  @ApiProperty({ description: 'The step that returned the submission, from 0.', type: 'integer', example: 1 })
  index!: number;

  @ApiProperty({ example: '省商务厅审核' })
  name!: string;

  @ApiProperty({ description: 'The reviewing organisation.', example: '浙江省商务厅' })
  organisation!: string;
}

/** A correction notice (补正通知): what the applicant must correct before submitting again. */
export class CorrectionResponse {
  @ApiProperty({ description: 'The revision that was returned.', type: 'integer', example: 1 })
  revision!: number;

  @ApiProperty({ type: CorrectionStepResponse, description: 'The step that returned it; the corrected revision re-enters review there.' })
  step!: CorrectionStepResponse;

  @ApiProperty({ description: 'The reviewer who returned it.', example: '省商务厅 审核人' })
  returnedBy!: string;

  @ApiProperty({ description: 'Whom the reviewer acted for, when the task was delegated to them (代办).', type: 'string', nullable: true, example: null })
  actingFor!: string | null;

  @ApiProperty({ description: "The reviewer's overall opinion.", type: 'string', nullable: true, example: '请按补正事项修改后重新提交' })
  opinion!: string | null;

  @ApiProperty({ type: [DeficiencyResponse], description: 'Every deficiency, at least one.' })
  deficiencies!: DeficiencyResponse[];

  @ApiProperty({ format: 'date-time', example: '2026-03-05T08:00:00.000Z' })
  at!: string;
}

export class TimelineAccountResponse {
  @ApiProperty({ format: 'uuid', example: '3f0c8a52-1b7e-4c1a-9d3e-5a6b7c8d9e0f' })
  userId!: string;

  @ApiProperty({ description: "The account's display name.", example: '庆元县 经办人 李申报' })
  name!: string;

  @ApiPropertyOptional({ type: PlaceResponse, description: 'The organisation a reviewer acted for.' })
  organisation?: PlaceResponse;

  @ApiPropertyOptional({ type: PlaceResponse, description: 'The county an applicant acted for.', example: { code: 'qingyuan', name: '庆元县' } })
  county?: PlaceResponse;
}

export class TimelineEntryResponse {
  @ApiProperty({ enum: timelineEvents, example: 'step_assigned' })
  event!: string;

  @ApiProperty({ example: '市商务局初审：已分派至丽水市商务局' })
  summary!: string;

  @ApiProperty({ description: 'Who acted, when someone did; a delegate acting for a reviewer shows as `name（代reviewer）`.', type: 'string', nullable: true, example: null })
  actor!: string | null;

  @ApiProperty({
    type: TimelineAccountResponse,
    nullable: true,
    description: 'The signed-in account that acted: user id and display name, with the organisation a reviewer acted for or the county an applicant acted for. Null where no one acted (a step entered, the review completed) and on lines recorded before accounts were.',
  })
  account!: TimelineAccountResponse | null;

  @ApiProperty({
    description: "The reviewer's opinion, the reason of a rejection or a delegation, or a return's opinion followed by its numbered deficiencies.",
    type: 'string',
    nullable: true,
    example: null,
  })
  opinion!: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  at!: string;
}

/** What every submission shows, whatever its kind. Whitelisted fields, never the entity. */
export class SubmissionCommonResponse {
  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  id!: string;

  @ApiProperty({
    enum: submissionStatuses,
    example: 'draft',
    description: '`returned`: sent back for correction (补正); edit it and submit it again as the next revision, or withdraw it.',
  })
  status!: string;

  @ApiProperty({ description: '0 for a first draft; N after the Nth submit.', type: 'integer', example: 0 })
  revision!: number;

  @ApiProperty({ description: 'Optimistic lock: send it back with an edit to refuse overwriting a newer one.', type: 'integer', example: 1 })
  version!: number;

  @ApiProperty({ type: PlaceResponse, description: 'The applicant county.' })
  county!: PlaceResponse;

  @ApiProperty({ type: PlaceResponse, description: "The county's city, whose commerce bureau reviews first.", example: { code: 'lishui', name: '丽水市' } })
  city!: PlaceResponse;

  @ApiProperty({ type: CurrentStepResponse, nullable: true, description: 'The step under review; null before the first assignment.' })
  currentStep!: CurrentStepResponse | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string', example: null })
  submittedAt!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: 'string',
    example: null,
    description: 'When the applicant asked to withdraw it, while workflow has not answered yet: until then it is neither edited nor submitted again (`WITHDRAWAL_PENDING`).',
  })
  withdrawalRequestedAt!: string | null;

  @ApiProperty({
    type: CorrectionResponse,
    nullable: true,
    description: 'While `returned`: the correction notice to act on. Null otherwise; submitting again clears it (the timeline keeps every return).',
  })
  correction!: CorrectionResponse | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T08:00:00.000Z' })
  updatedAt!: string;
}

export class TimelineResponse {
  @ApiProperty({ type: [TimelineEntryResponse], description: 'Oldest first.' })
  items!: TimelineEntryResponse[];
}

export function toCommonResponse(s: Submission): SubmissionCommonResponse {
  return {
    id: s.id,
    status: s.status,
    revision: s.revision,
    version: s.version,
    county: { code: s.countyCode, name: s.countyName },
    city: { code: s.cityCode, name: s.cityName },
    currentStep: s.currentStep
      ? { index: s.currentStep.index, name: s.currentStep.name, organisation: s.currentStep.organisation, of: s.currentStep.stepCount }
      : null,
    submittedAt: s.submittedAt?.toISOString() ?? null,
    withdrawalRequestedAt: s.withdrawalRequestedAt?.toISOString() ?? null,
    correction: s.correction ? toCorrectionResponse(s.correction) : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export const toCorrectionResponse = (c: CorrectionNotice): CorrectionResponse => ({
  revision: c.revision,
  step: { index: c.step.index, name: c.step.name, organisation: c.step.organisation },
  returnedBy: c.returnedBy,
  actingFor: c.actingFor,
  opinion: c.opinion,
  deficiencies: c.deficiencies.map((d) => ({ target: d.target, ref: d.ref, note: d.note })),
  at: c.at,
});

export const toTimelineResponse = (entries: TimelineEntry[]): TimelineResponse => ({
  items: entries.map((t) => ({ event: t.event, summary: t.summary, actor: t.actor, account: t.account, opinion: t.opinion, at: t.at.toISOString() })),
});
