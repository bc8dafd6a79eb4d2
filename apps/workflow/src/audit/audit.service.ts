import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { InstanceEvent, InstanceState } from '@shanhai/domain';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { chain, ChainWalk, GENESIS_HASH, type ChainVerdict } from './audit-chain.js';
import { auditFields, type AuditActor, type AuditSubject } from './audit-entries.js';
import { AuditEntry } from './audit-entry.entity.js';

/**
 * Serialises appends to the one chain (see audit-chain.ts), for the rest of the transaction: the
 * next append reads the head only after this one committed. Any constant works; this spells "AUDIT".
 */
const CHAIN_LOCK = 0x4155444954;

const VERIFY_BATCH = 1000;

/** The append-only, hash-chained audit trail of the approval instances. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends one entry per event, in the caller's transaction (the one that saves the events'
   * effects). `before` is the instance's state ahead of the first event.
   */
  async append(manager: EntityManager, subject: AuditSubject, by: AuditActor, before: InstanceState | undefined, events: readonly InstanceEvent[]): Promise<void> {
    if (!events.length) return;
    if (!manager.queryRunner?.isTransactionActive) throw new Error('audit entries are appended inside the transaction that saves their effects');
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const [head] = await manager.find(AuditEntry, { select: { id: true, hash: true }, order: { id: 'DESC' }, take: 1 });
    const [last] = await manager.find(AuditEntry, { select: { id: true, seq: true }, where: { instanceId: subject.instanceId }, order: { seq: 'DESC' }, take: 1 });
    const entries = chain(auditFields(subject, by, before, events, (last?.seq ?? 0) + 1), head?.hash ?? GENESIS_HASH);
    // insert() one row at a time keeps the ids in chain order without relying on multi-row VALUES order.
    for (const entry of entries) await manager.insert(AuditEntry, entry);
  }

  /** An instance's entries, oldest first. */
  entriesOf(instanceId: string): Promise<AuditEntry[]> {
    return this.dataSource.manager.find(AuditEntry, { where: { instanceId }, order: { seq: 'ASC' } });
  }

  /** Walks the whole trail in chain order and names the first entry that does not fit. */
  verify(): Promise<ChainVerdict & { headHash: string }> {
    return verifyAuditTrail(this.dataSource.manager);
  }
}

/** Reads every entry in batches (cursor on id) and checks the chain; also used by the CLI. */
export async function verifyAuditTrail(manager: EntityManager, batchSize = VERIFY_BATCH): Promise<ChainVerdict & { headHash: string }> {
  const walk = new ChainWalk();
  let cursor: string | undefined;
  for (;;) {
    const batch = await manager.find(AuditEntry, { where: cursor === undefined ? {} : { id: MoreThan(cursor) }, order: { id: 'ASC' }, take: batchSize });
    if (!batch.every((entry) => walk.push(entry))) break;
    if (batch.length < batchSize) break;
    cursor = batch[batch.length - 1]!.id;
  }
  return { ...walk.verdict(), headHash: walk.headHash };
}
