import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { InstanceEvent, InstanceState } from '@shanhai/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { auditSettingsOf, WORKFLOW_CONFIG, type WorkflowConfig } from '../config.js';
import { chain, GENESIS_HASH, type AuditFields } from './audit-chain.js';
import { auditFields, type AuditActor, type AuditSubject } from './audit-entries.js';
import { AuditEntry } from './audit-entry.entity.js';
import { verifyAuditTrail, type AuditVerification } from './audit-verification.js';

/** The columns an append writes, in the order of appendStatement's values. */
const COLUMNS = [
  'instance_id', 'seq', 'actor', 'acting_for', 'actor_account', 'action', 'opinion', 'from_status', 'to_status', 'from_step', 'to_step',
  'revision', 'definition_key', 'definition_version', 'at', 'data', 'prev_hash', 'hash',
] as const;

type Linked = AuditFields & { readonly prevHash: string; readonly hash: string };

const valuesOf = (e: Linked): unknown[] => [
  e.instanceId, e.seq, e.actor, e.actingFor, e.account ? JSON.stringify(e.account) : null, e.action, e.opinion, e.fromStatus, e.toStatus, e.fromStep, e.toStep,
  e.revision, e.definitionKey, e.definitionVersion, e.at, JSON.stringify(e.data), e.prevHash, e.hash,
];

/**
 * One statement, so one round trip: every entry of the batch in one multi-row INSERT, and the
 * instance's chain head moved to the last of them. The head only moves forward; `heads` is 0 if
 * it was already past (which the caller's hold on the instance row rules out).
 */
function appendStatement(entries: readonly Linked[]): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const rows = entries.map((e) => `(${valuesOf(e).map((v) => `$${parameters.push(v)}`).join(', ')})`);
  const head = entries[entries.length - 1]!;
  const [instanceId, seq, hash] = [head.instanceId, head.seq, head.hash].map((v) => `$${parameters.push(v)}`);
  const sql = `
    WITH appended AS (
      INSERT INTO audit_entries (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} RETURNING 1
    ), head AS (
      INSERT INTO audit_chain_heads AS h (instance_id, seq, hash) VALUES (${instanceId}, ${seq}, ${hash})
      ON CONFLICT (instance_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash WHERE h.seq < EXCLUDED.seq
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM appended)::int AS entries, (SELECT count(*) FROM head)::int AS heads`;
  return { sql, parameters };
}

/** The append-only, hash-chained audit trail of the approval instances: one chain per instance. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WORKFLOW_CONFIG) private readonly config: WorkflowConfig,
  ) {}

  /**
   * Appends one entry per event, in the caller's transaction (the one that saves the events'
   * effects), linked to the instance's previous entry. `before` is the instance's state ahead of
   * the first event. The caller holds the instance's row (inserted, or updated under its version),
   * so appends to one instance never interleave; appends to different instances share nothing.
   * Two round trips: the instance's last entry, then the entries and the chain head.
   */
  async append(manager: EntityManager, subject: AuditSubject, by: AuditActor, before: InstanceState | undefined, events: readonly InstanceEvent[]): Promise<void> {
    if (!events.length) return;
    if (!manager.queryRunner?.isTransactionActive) throw new Error('audit entries are appended inside the transaction that saves their effects');
    const [last] = await manager.query<{ seq: number; hash: string }[]>('SELECT seq, hash FROM audit_entries WHERE instance_id = $1 ORDER BY seq DESC LIMIT 1', [subject.instanceId]);
    const entries = chain(auditFields(subject, by, before, events, (last?.seq ?? 0) + 1), last?.hash ?? GENESIS_HASH);
    const { sql, parameters } = appendStatement(entries);
    const [written] = await manager.query<{ entries: number; heads: number }[]>(sql, parameters);
    if (written?.heads !== 1) throw new Error(`the chain head of instance ${subject.instanceId} is already past seq ${entries[entries.length - 1]!.seq}`);
  }

  /** An instance's entries, oldest first. */
  entriesOf(instanceId: string): Promise<AuditEntry[]> {
    return this.dataSource.manager.find(AuditEntry, { where: { instanceId }, order: { seq: 'ASC' } });
  }

  /** Verifies every chain and every checkpoint, and names the first entry that does not fit. */
  verify(): Promise<AuditVerification> {
    return verifyAuditTrail(this.dataSource.manager, auditSettingsOf(this.config).signingKeys);
  }
}
