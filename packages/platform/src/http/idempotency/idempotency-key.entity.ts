import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyStatus = 'in_progress' | 'completed';

/**
 * A command a caller sent with an `Idempotency-Key`: claimed while its handler runs, then the
 * response it got, replayed to a retry with the same key and body until `expiresAt`.
 */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires_idx', ['expiresAt'])
export class IdempotencyKeyRecord {
  /** Who sent it and where: `<caller> <METHOD> <path>`, so one key means nothing across callers or routes. */
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** sha256 of the request as received (see `requestFingerprint`). */
  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  status!: IdempotencyStatus;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  /** Only Content-Type, Location and ETag. */
  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders!: Record<string, string> | null;

  /** The handler's return value as Nest serialised it; `null` for an empty body. */
  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
