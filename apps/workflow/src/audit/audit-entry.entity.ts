import type { ActorRef } from '@shanhai/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One entry of the audit trail: one domain event of an instance, who caused it and the state
 * change it made, hash-chained to the entry before it (see audit-chain.ts). Append-only: the
 * database refuses UPDATE, DELETE and TRUNCATE (trigger), and the service's role is granted
 * neither (migration 1764230800000).
 */
@Entity({ name: 'audit_entries' })
@Index('audit_entries_instance_seq_key', ['instanceId', 'seq'], { unique: true })
export class AuditEntry {
  /** bigint identity: the driver gives it as a string. Chain order. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  /** The entry's position in its instance, from 1. */
  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ name: 'acting_for', type: 'text', nullable: true })
  actingFor!: string | null;

  /** The signed-in account that acted; null on entries from before accounts were recorded. */
  @Column({ name: 'actor_account', type: 'jsonb', nullable: true })
  account!: ActorRef | null;

  /** The domain event's type. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  opinion!: string | null;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ name: 'from_step', type: 'int', nullable: true })
  fromStep!: number | null;

  @Column({ name: 'to_step', type: 'int', nullable: true })
  toStep!: number | null;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ name: 'definition_key', type: 'text' })
  definitionKey!: string;

  @Column({ name: 'definition_version', type: 'int' })
  definitionVersion!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The domain event as recorded: an instance's state is rebuilt from these. */
  @Column({ type: 'jsonb' })
  data!: object;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
