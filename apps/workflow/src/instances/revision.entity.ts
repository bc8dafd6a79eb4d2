import type { AttachedFile } from '@shanhai/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What one revision of a submission contained, as intake sent it: reviewers compare revisions field by field. */
@Entity({ name: 'revisions' })
export class Revision {
  @PrimaryColumn({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @PrimaryColumn({ type: 'int' })
  revision!: number;

  @Column({ type: 'text' })
  title!: string;

  /** Null for a revision announced by a v1 message, which carried no content. */
  @Column({ type: 'jsonb', nullable: true })
  content!: Record<string, unknown> | null;

  @Column({ type: 'jsonb' })
  attachments!: AttachedFile[];

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
