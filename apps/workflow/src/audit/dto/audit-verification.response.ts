import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditVerification } from '../audit-verification.js';
import { breakReasons, type BreakReason } from '../audit-walk.js';

export class BrokenEntryResponse {
  @ApiProperty({ description: "The entry's id (a bigint, as text); null when the entry is missing, and for a checkpoint problem.", type: 'string', nullable: true, example: '42' })
  id!: string | null;

  @ApiProperty({ format: 'uuid', type: 'string', nullable: true, description: 'Null only for a checkpoint problem.', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' })
  instanceId!: string | null;

  @ApiProperty({ description: 'Its position in the instance, from 1; null only for a checkpoint problem.', type: 'integer', nullable: true, example: 3 })
  seq!: number | null;

  @ApiProperty({
    description:
      '`hash mismatch`: the entry was changed after it was written; `broken link`: an entry before it (in its instance, or in the whole trail for entries ' +
      'from before per-instance chains) was removed, inserted or moved; `sequence gap`: its instance skips a position; `differs from checkpoint`: a signed ' +
      'checkpoint recorded another hash here, the chain was rewritten; `missing entry`: a signed checkpoint names this position and it is gone, the instance ' +
      "was cut short or deleted; `checkpoint tampered`: a checkpoint was removed, changed, or its heads were; `unknown signing key`: a checkpoint's key is not in AUDIT_SIGNING_KEYS.",
    enum: breakReasons,
    example: 'hash mismatch',
  })
  reason!: BreakReason;

  @ApiPropertyOptional({ description: 'The checkpoint that names the entry (missing, or differing), or the checkpoint that does not fit.', example: '17' })
  checkpointId?: string;
}

export class AuditVerificationResponse {
  @ApiProperty({ description: 'Whether every entry and every checkpoint is intact and in its place.', example: true })
  ok!: boolean;

  @ApiProperty({ description: 'How many entries checked out: all of them when ok, those before the broken one otherwise.', type: 'integer', example: 128 })
  count!: number;

  @ApiProperty({ description: 'How many signed checkpoints checked out.', type: 'integer', example: 12 })
  checkpoints!: number;

  @ApiProperty({
    description:
      'The hash of the last checkpoint that checked out (null before the first): keep it elsewhere, and a later run whose checkpoints do not reach it again ' +
      'reveals checkpoints cut off or rewritten.',
    type: 'string',
    nullable: true,
    example: '4b1d3f5e8a6c2b4d0e1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f9f2c4e0a',
  })
  checkpointHash!: string | null;

  @ApiProperty({
    description: "A digest of every instance's last entry as read: the same on two runs when nothing was appended, changed or cut in between.",
    example: '9f2c4e0a7b1d3f5e8a6c2b4d0e1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f',
  })
  headHash!: string;

  @ApiPropertyOptional({ type: BrokenEntryResponse, description: 'When not ok: the entry break with the smallest id, else a missing entry, else the checkpoint that does not fit.' })
  firstBroken?: BrokenEntryResponse;
}

export const toAuditVerificationResponse = (v: AuditVerification): AuditVerificationResponse => {
  const summary = { count: v.count, checkpoints: v.checkpoints, checkpointHash: v.checkpointHash, headHash: v.headHash };
  return v.ok ? { ok: true, ...summary } : { ok: false, ...summary, firstBroken: { ...v.firstBroken } };
};
