import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { auditActions } from '../audit-chain.js';
import type { AuditEntry } from '../audit-entry.entity.js';

export class AuditStateResponse {
  @ApiProperty({ enum: ['in_review', 'returned', 'approved', 'rejected', 'withdrawn'], type: 'string', nullable: true, example: 'in_review' })
  status!: string | null;

  @ApiProperty({ description: 'The current step, from 0.', type: 'integer', nullable: true, example: 0 })
  step!: number | null;
}

export class AuditDefinitionResponse {
  @ApiProperty({ example: 'zone_plan' })
  key!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  version!: number;
}

class AuditPlaceResponse {
  @ApiProperty({ example: 'lishui-commerce' })
  code!: string;

  @ApiProperty({ example: '丽水市商务局' })
  name!: string;
}

export class AuditAccountResponse {
  @ApiProperty({ format: 'uuid', example: '3f0c8a52-1b7e-4c1a-9d3e-5a6b7c8d9e0f' })
  userId!: string;

  @ApiProperty({ description: "The account's display name.", example: '丽水市商务局 审核员 陈' })
  name!: string;

  @ApiPropertyOptional({ type: AuditPlaceResponse, description: 'The organisation a reviewer acted for.' })
  organisation?: AuditPlaceResponse;

  @ApiPropertyOptional({ type: AuditPlaceResponse, description: 'The county an applicant acted for.' })
  county?: AuditPlaceResponse;
}

export class AuditEntryResponse {
  @ApiProperty({ description: 'The position in the instance, from 1.', type: 'integer', example: 3 })
  seq!: number;

  @ApiProperty({ description: "The domain event's type.", enum: auditActions, example: 'step_approved' })
  action!: string;

  @ApiProperty({ description: 'Who caused it: the reviewer who decided, or the applicant who submitted or withdrew.', example: '丽水市商务局 审核员 陈' })
  actor!: string;

  @ApiProperty({
    type: AuditAccountResponse,
    nullable: true,
    description: 'The signed-in account that acted: user id and display name, with the organisation a reviewer acted for or the county an applicant acted for. Null only on entries recorded before accounts were.',
  })
  account!: AuditAccountResponse | null;

  @ApiProperty({ description: 'Whom the actor acted for: the reviewer who delegated the task to them (代办); null when acting for themselves.', type: 'string', nullable: true, example: null })
  actingFor!: string | null;

  @ApiProperty({ description: "An approval's opinion, a rejection's reason, a correction notice (opinion and every deficiency), or the reason of a delegation, reassignment or withdrawal.", type: 'string', nullable: true, example: '同意上报。' })
  opinion!: string | null;

  @ApiProperty({ type: AuditStateResponse, description: 'The state before the event (nulls before the instance started).' })
  from!: AuditStateResponse;

  @ApiProperty({ type: AuditStateResponse, description: 'The state after the event.' })
  to!: AuditStateResponse;

  @ApiProperty({ description: "The submission's revision under review.", type: 'integer', example: 1 })
  revision!: number;

  @ApiProperty({ type: AuditDefinitionResponse, description: 'The approval definition the instance runs.' })
  definition!: AuditDefinitionResponse;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T09:30:00.000Z' })
  at!: string;

  @ApiProperty({
    description: 'The domain event as recorded: the state can be rebuilt from these.',
    type: 'object',
    additionalProperties: true,
    example: { type: 'step_approved', step: 0, actor: '丽水市商务局 审核员 陈', opinion: '同意上报。', at: '2025-11-27T09:30:00.000Z' },
  })
  data!: object;

  @ApiProperty({ description: 'sha256 (hex) over the entry and the hash of the entry before it in the trail.', example: '9f2c4e0a7b1d3f5e8a6c2b4d0e1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f' })
  hash!: string;
}

export const toAuditEntryResponse = (e: AuditEntry): AuditEntryResponse => ({
  seq: e.seq,
  action: e.action,
  actor: e.actor,
  actingFor: e.actingFor,
  account: e.account,
  opinion: e.opinion,
  from: { status: e.fromStatus, step: e.fromStep },
  to: { status: e.toStatus, step: e.toStep },
  revision: e.revision,
  definition: { key: e.definitionKey, version: e.definitionVersion },
  at: e.at.toISOString(),
  data: e.data,
  hash: e.hash,
});
