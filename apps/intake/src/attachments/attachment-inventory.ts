import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import type { AttachmentInventory } from '../submissions/submissions.service.js';
import { Attachment } from './attachment.entity.js';

/** The kinds of a submission's current (not superseded) attachments, read in the caller's transaction. */
@Injectable()
export class CurrentAttachments implements AttachmentInventory {
  async presentKinds(manager: EntityManager, submissionId: string): Promise<string[]> {
    const rows = await manager.find(Attachment, { select: { kind: true }, where: { submissionId, supersededAt: IsNull() } });
    return rows.map((r) => r.kind);
  }
}
