import { attachmentKinds, type AttachmentKind } from '@shanhai/domain';
import { RequestValidationError, type FieldProblem } from '@shanhai/platform';

/** What multer's memory storage hands over of the one file (there is no @types/multer here). */
export interface UploadedFileBody {
  readonly originalname: string;
  readonly size: number;
  readonly buffer: Buffer;
}

/** Every problem of an upload at once: the body is multipart, so the validation pipe does not see it. */
export function parseUpload(body: Record<string, unknown> | undefined, file: UploadedFileBody | undefined): { kind: AttachmentKind; upload: UploadedFileBody } {
  const problems: FieldProblem[] = Object.keys(body ?? {})
    .filter((name) => name !== 'kind')
    .map((field) => ({ field, message: 'unknown field' }));
  const kind = body?.kind;
  const isKind = typeof kind === 'string' && (attachmentKinds as readonly string[]).includes(kind);
  if (!isKind) problems.push({ field: 'kind', message: `kind must be one of the following values: ${attachmentKinds.join(', ')}` });
  if (!file) problems.push({ field: 'file', message: 'file is required: one document, sent as a multipart/form-data file part' });
  else if (file.size === 0) problems.push({ field: 'file', message: 'file is empty' });
  if (problems.length || !isKind || !file) throw new RequestValidationError(problems);
  return { kind: kind as AttachmentKind, upload: file };
}
