import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { attachmentKinds, type AttachmentKind } from '@shanhai/domain';
import type { SubmissionKind } from '@shanhai/contracts';
import { DomainError, type Principal } from '@shanhai/platform';
import { IsNull, type DataSource } from 'typeorm';
import { SubmissionsService } from '../submissions/submissions.service.js';
import { Attachment } from './attachment.entity.js';
import { requireAcceptedType } from './content-type.js';
import { FILE_STORE, sha256Of, type FileStore } from './file-store.js';
import { cleanFilename } from './filename.js';

/** What the HTTP edge hands over of an uploaded file. */
export interface UploadedContent {
  readonly filename: string;
  readonly content: Buffer;
}

export interface Download {
  readonly attachment: Attachment;
  readonly stream: Readable;
}

/** Attachments hang off zone plans only; an id of another kind is "not found" here. */
const PLAN_KIND = 'zone_plan' satisfies SubmissionKind;

@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FILE_STORE) private readonly files: FileStore,
    private readonly submissions: SubmissionsService,
  ) {}

  /**
   * Stores the file (once per content) and makes it the plan's current attachment of `kind`,
   * superseding the previous one. Who may, and whether the plan is still editable (a draft, or returned), is checked before
   * the content is looked at, and again under the plan's row lock when the row is written: a submit
   * (same lock) either waits for the upload or has already made the plan read-only, and two uploads
   * to one plan cannot race for the current slot. The file is stored between the two, so no
   * transaction waits for the store.
   */
  async upload(principal: Principal, planId: string, kind: AttachmentKind, upload: UploadedContent, now = new Date()): Promise<Attachment> {
    await this.dataSource.transaction((m) => this.submissions.findEditable(m, principal, planId, PLAN_KIND));
    const type = await requireAcceptedType(upload.content, upload.filename || kind);
    const sha256 = sha256Of(upload.content);
    // Before the row: a file without a row is harmless (and reused by the next upload of the same bytes), a row without its file is not.
    await this.files.put(sha256, upload.content);
    return this.dataSource.transaction(async (m) => {
      await this.submissions.findEditable(m, principal, planId, PLAN_KIND);
      await m.update(Attachment, { submissionId: planId, kind, supersededAt: IsNull() }, { supersededAt: now });
      const attachment = m.create(Attachment, {
        id: randomUUID(),
        submissionId: planId,
        kind,
        filename: cleanFilename(upload.filename, `${kind}.${type.extension}`),
        mediaType: type.mediaType,
        sizeBytes: upload.content.length,
        sha256,
        uploadedBy: principal.userId,
        uploadedAt: now,
        supersededAt: null,
      });
      await m.insert(Attachment, attachment);
      return attachment;
    });
  }

  /** The current attachment of each kind, in the order of the kinds. */
  async list(principal: Principal, planId: string): Promise<Attachment[]> {
    await this.submissions.findReadable(principal, planId, PLAN_KIND);
    const rows = await this.dataSource.manager.find(Attachment, { where: { submissionId: planId, supersededAt: IsNull() } });
    return rows.sort((a, b) => attachmentKinds.indexOf(a.kind) - attachmentKinds.indexOf(b.kind));
  }

  /** One attachment of the plan (a superseded one too) with its bytes; 404 for anyone who may not read the plan. */
  async download(principal: Principal, planId: string, attachmentId: string): Promise<Download> {
    await this.submissions.findReadable(principal, planId, PLAN_KIND);
    const attachment = await this.dataSource.manager.findOneBy(Attachment, { id: attachmentId, submissionId: planId });
    if (!attachment) throw new DomainError('NOT_FOUND', `plan ${planId} has no attachment ${attachmentId}`);
    return { attachment, stream: await this.files.open(attachment.sha256) };
  }
}
