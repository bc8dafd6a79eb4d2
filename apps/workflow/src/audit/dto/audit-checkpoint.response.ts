import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Checkpoint } from '../audit-checkpoint.js';
import type { CheckpointOutcome } from '../audit-checkpoints.service.js';

const hex = (example: string) => ({ pattern: '^[0-9a-f]{64}$', example });

export class AuditCheckpointResponse {
  @ApiProperty({ description: 'The checkpoint id (a bigint, as text), in checkpoint order.', example: '17' })
  id!: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T09:31:00.000Z' })
  at!: string;

  @ApiProperty({ description: 'How many chain heads it records: the instances whose chains advanced since the checkpoint before.', type: 'integer', example: 3 })
  headCount!: number;

  @ApiProperty({ description: 'sha256 over its heads (instance, seq, hash), in instance order.', ...hex('5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f9f2c4e0a7b1d3f5e8a6c2b4d0e1f3a') })
  digest!: string;

  @ApiProperty({ description: "The previous checkpoint's hash; 64 zeros for the first.", ...hex('0'.repeat(64)) })
  prevHash!: string;

  @ApiProperty({ description: 'sha256 over the format, prevHash, at, digest and headCount.', ...hex('4b1d3f5e8a6c2b4d0e1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f9f2c4e0a') })
  hash!: string;

  @ApiProperty({ description: 'The kid of the AUDIT_SIGNING_KEYS key that signed it.', example: 'audit-2026' })
  keyId!: string;

  @ApiProperty({ description: 'HMAC-SHA256 of the hash under that key.', ...hex('e9b1d3f5a7c9e0b2d4f6a8c0e2b4d6f9f2c4e0a7b1d3f5e8a6c2b4d0e1f3a5c7') })
  signature!: string;
}

export class AuditCheckpointOutcomeResponse {
  @ApiProperty({
    description: '`created` (201): a checkpoint was made; `nothing to checkpoint` (200): no chain advanced since the last one; `busy` (200): another replica is making one right now.',
    enum: ['created', 'nothing to checkpoint', 'busy'],
    example: 'created',
  })
  outcome!: CheckpointOutcome['outcome'];

  @ApiPropertyOptional({ type: AuditCheckpointResponse, description: 'The checkpoint made, when `created`.' })
  checkpoint?: AuditCheckpointResponse;
}

const toCheckpointResponse = (c: Checkpoint): AuditCheckpointResponse => ({
  id: c.id,
  at: c.at.toISOString(),
  headCount: c.headCount,
  digest: c.digest,
  prevHash: c.prevHash,
  hash: c.hash,
  keyId: c.keyId,
  signature: c.signature,
});

export const toCheckpointOutcomeResponse = (o: CheckpointOutcome): AuditCheckpointOutcomeResponse =>
  o.outcome === 'created' ? { outcome: o.outcome, checkpoint: toCheckpointResponse(o.checkpoint) } : { outcome: o.outcome };
