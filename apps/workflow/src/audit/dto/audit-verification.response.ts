import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BreakReason, ChainVerdict } from '../audit-chain.js';

export class BrokenEntryResponse {
  @ApiProperty({ description: "The entry's id (a bigint, as text).", example: '42' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' })
  instanceId!: string;

  @ApiProperty({ description: 'Its position in the instance, from 1.', type: 'integer', example: 3 })
  seq!: number;

  @ApiProperty({
    description:
      '`hash mismatch`: the entry was changed after it was written; `broken link`: an entry before it was removed, inserted or moved; ' +
      '`sequence gap`: its instance skips a position.',
    enum: ['hash mismatch', 'broken link', 'sequence gap'],
    example: 'hash mismatch',
  })
  reason!: BreakReason;
}

export class AuditVerificationResponse {
  @ApiProperty({ description: 'Whether every entry is intact and in its place.', example: true })
  ok!: boolean;

  @ApiProperty({ description: 'How many entries checked out: all of them when ok, those before the broken one otherwise.', type: 'integer', example: 128 })
  count!: number;

  @ApiProperty({
    description: 'The hash of the last entry that checked out: keep it elsewhere to detect, next time, a trail cut short.',
    example: '9f2c4e0a7b1d3f5e8a6c2b4d0e1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f',
  })
  headHash!: string;

  @ApiPropertyOptional({ type: BrokenEntryResponse, description: 'When not ok: the first entry, in trail order, that does not fit.' })
  firstBroken?: BrokenEntryResponse;
}

export const toAuditVerificationResponse = (v: ChainVerdict & { headHash: string }): AuditVerificationResponse =>
  v.ok ? { ok: true, count: v.count, headHash: v.headHash } : { ok: false, count: v.count, headHash: v.headHash, firstBroken: { ...v.firstBroken } };
