import { Injectable } from '@nestjs/common';
import type { AttachmentRef } from '@shanhai/contracts';
import { IsNull, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import type { AttachmentInventory } from '../submissions/submissions.service.js';
import { Attachment } from './attachment.entity.js';

/** A submission's attachments, current or as of a moment, read in the caller's transaction. */
@Injectable()
export class CurrentAttachments implements AttachmentInventory {
  async current(manager: EntityManager, submissionId: string): Promise<AttachmentRef[]> {
    const rows = await manager.find(Attachment, {
      select: { kind: true, filename: true, sha256: true },
      where: { submissionId, supersededAt: IsNull() },
      order: { kind: 'ASC' },
    });
    return rows.map((r) => ({ kind: r.kind, filename: r.filename, sha256: r.sha256 }));
  }

  /** The attachments that were current at `at`: uploaded by then and not yet superseded. */
  async asOf(manager: EntityManager, submissionId: string, at: Date): Promise<AttachmentRef[]> {
    const rows = await manager.find(Attachment, {
      select: { kind: true, filename: true, sha256: true },
      where: [
        { submissionId, uploadedAt: LessThanOrEqual(at), supersededAt: IsNull() },
        { submissionId, uploadedAt: LessThanOrEqual(at), supersededAt: MoreThan(at) },
      ],
      order: { kind: 'ASC' },
    });
    return rows.map((r) => ({ kind: r.kind, filename: r.filename, sha256: r.sha256 }));
  }
}
