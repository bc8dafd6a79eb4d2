import { ApiProperty } from '@nestjs/swagger';
import type { Submission } from '../submission.entity.js';
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

export class TimelineEntryResponse {
  @ApiProperty({
    enum: ['drafted', 'submitted', 'review_started', 'step_assigned', 'step_approved', 'approved', 'rejected', 'withdrawal_requested', 'withdrawn'],
    example: 'step_assigned',
  })
  event!: string;

  @ApiProperty({ example: '市商务局初审：已分派至丽水市商务局' })
  summary!: string;

  @ApiProperty({ description: 'Who acted, when someone did.', type: 'string', nullable: true, example: null })
  actor!: string | null;

  @ApiProperty({ description: "The reviewer's opinion, or the reason of a rejection.", type: 'string', nullable: true, example: null })
  opinion!: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  at!: string;
}

/** What every submission shows, whatever its kind. Whitelisted fields, never the entity. */
export class SubmissionCommonResponse {
  @ApiProperty({ format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' })
  id!: string;

  @ApiProperty({ enum: ['draft', 'submitted', 'in_review', 'approved', 'rejected', 'withdrawn'], example: 'draft' })
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
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export const toTimelineResponse = (entries: TimelineEntry[]): TimelineResponse => ({
  items: entries.map((t) => ({ event: t.event, summary: t.summary, actor: t.actor, opinion: t.opinion, at: t.at.toISOString() })),
});
