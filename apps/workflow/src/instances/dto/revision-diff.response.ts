import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LabelResponse } from './label.response.js';

/** A field's value: whatever JSON the submission holds there. */
const anyJson = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }];

export class FieldChangeResponse {
  @ApiProperty({ description: 'The field, as a dot path.', example: 'content.blocks.0.areaKm2' })
  path!: string;

  @ApiProperty({ enum: ['added', 'removed', 'changed'], example: 'changed' })
  change!: string;

  @ApiPropertyOptional({ description: 'The value in `from` (absent when added).', oneOf: anyJson, example: 3.52 })
  before?: unknown;

  @ApiPropertyOptional({ description: 'The value in `to` (absent when removed).', oneOf: anyJson, example: 3.18 })
  after?: unknown;

  @ApiPropertyOptional({ type: LabelResponse, description: "The field's name as the plan's form shows it (a block by its name)." })
  label?: LabelResponse;
}

export class AttachedFileResponse {
  @ApiProperty({ example: 'land_use_plan' })
  kind!: string;

  @ApiProperty({ example: '庆元县土地利用规划图.pdf' })
  filename!: string;

  @ApiProperty({ description: 'SHA-256 of the file, hex.', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;
}

export class AttachmentChangeResponse {
  @ApiProperty({ example: 'land_use_plan' })
  kind!: string;

  @ApiProperty({ enum: ['added', 'removed', 'replaced'], example: 'replaced' })
  change!: string;

  @ApiPropertyOptional({ type: AttachedFileResponse })
  before?: AttachedFileResponse;

  @ApiPropertyOptional({ type: AttachedFileResponse })
  after?: AttachedFileResponse;

  @ApiPropertyOptional({ type: LabelResponse, description: "The document's name, e.g. 规划环评审查意见." })
  label?: LabelResponse;
}

export class RevisionDiffResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  from!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  to!: number;

  @ApiProperty({ type: [FieldChangeResponse], description: 'Every changed field, in reading order.' })
  fields!: FieldChangeResponse[];

  @ApiProperty({ type: [AttachmentChangeResponse], description: 'Every attachment added, removed or replaced (by content hash).' })
  attachments!: AttachmentChangeResponse[];
}
