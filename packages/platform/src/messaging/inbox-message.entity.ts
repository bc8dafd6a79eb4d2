import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A message a consumer has handled; recorded in the transaction of the handler's effect. */
@Entity({ name: 'inbox' })
export class InboxMessage {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  /** The handler, so that one message may be handled by several handlers of one service. */
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
