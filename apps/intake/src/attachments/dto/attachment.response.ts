import { ApiProperty } from '@nestjs/swagger';
import { attachmentKinds, type AttachmentKind } from '@shanhai/domain';
import type { Attachment } from '../attachment.entity.js';

export class AttachmentResponse {
  @ApiProperty({ format: 'uuid', example: '3b9d1c52-5e0f-4a57-8f8e-2f1c6a7d9e01' })
  id!: string;

  @ApiProperty({ enum: attachmentKinds, example: 'feasibility_report' })
  kind!: AttachmentKind;

  @ApiProperty({ description: 'The name it was uploaded under.', example: '浙江庆元经济开发区可行性研究报告.pdf' })
  filename!: string;

  @ApiProperty({ description: 'Detected from the content, whatever the uploader claimed.', example: 'application/pdf' })
  mediaType!: string;

  @ApiProperty({ type: 'integer', example: 1048576 })
  sizeBytes!: number;

  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex.', pattern: '^[0-9a-f]{64}$', example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  uploadedAt!: string;
}

export class AttachmentListResponse {
  @ApiProperty({ type: [AttachmentResponse], description: 'The current attachment of each kind uploaded so far.' })
  items!: AttachmentResponse[];
}

/** Whitelists what a client sees of a row. */
export const toAttachmentResponse = (a: Attachment): AttachmentResponse => ({
  id: a.id,
  kind: a.kind,
  filename: a.filename,
  mediaType: a.mediaType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  uploadedAt: a.uploadedAt.toISOString(),
});
