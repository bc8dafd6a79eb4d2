import type { AttachmentKind } from '@shanhai/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** bigint comes back from pg as a string; attachments are far below 2^53 bytes. */
const bigintAsNumber = { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/**
 * One file attached to a submission as one of the attachment kinds. The bytes live in the file
 * store under `sha256`; re-uploading a kind supersedes the current row rather than deleting it.
 */
@Entity({ name: 'attachments' })
export class Attachment {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'text' })
  kind!: AttachmentKind;

  /** As the uploader named it (path stripped); shown and offered on download, never trusted for the type. */
  @Column({ type: 'text' })
  filename!: string;

  /** Detected from the bytes, never the client's claim. */
  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: bigintAsNumber })
  sizeBytes!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;
}
