import { describe, expect, it } from '@jest/globals';
import { decide, evolve, replay, start, type ChainStep, type InstanceCommand, type InstanceEvent, type InstanceState } from '@shanhai/domain';
import { canonicalJson, chain, ChainWalk, entryHash, GENESIS_HASH, verifyChain, type ChainedEntry } from './audit-chain.js';
import { auditFields, type AuditActor } from './audit-entries.js';
import { reviveDates } from '../../test/support/audit.js';

const at = new Date('2025-11-27T08:00:01.000Z');
const away = new Date('2025-11-27T09:00:00.000Z');
const later = new Date('2025-11-27T09:30:00.000Z');

/** zone_plan v2 as resolved for a submission from Suichang (Lishui). */
const zonePlan: readonly ChainStep[] = [
  { mode: 'single', parties: ['lishui-commerce'] },
  { mode: 'single', parties: ['zj-commerce'] },
  { mode: 'all_of', parties: ['zj-nr', 'zj-drc', 'zj-eco'] },
  { mode: 'single', parties: ['zj-gov'] },
  { mode: 'single', parties: ['zj-gov-office'] },
];

const a = 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b';
const b = '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f';

/** One instance as the service runs it: each command decided on the state so far, its events audited with who caused them. */
class Run {
  private state: InstanceState | undefined;
  private seq = 1;

  constructor(private readonly instanceId: string) {}

  get current(): InstanceState | undefined {
    return this.state;
  }

  /** The events of `decision`, audited as caused by `by`. */
  record(by: AuditActor, decision: ReturnType<typeof start>) {
    if (!decision.ok) throw new Error(decision.code);
    const fields = auditFields({ instanceId: this.instanceId, revision: 1, definitionKey: 'zone_plan', definitionVersion: 2 }, by, this.state, decision.events, this.seq);
    this.state = decision.events.reduce<InstanceState | undefined>(evolve, this.state);
    this.seq += fields.length;
    return fields;
  }

  decide(by: AuditActor, command: InstanceCommand, now: Date) {
    if (!this.state) throw new Error('not started');
    return this.record(by, decide(this.state, command, now));
  }
}

const applicant: AuditActor = { actor: '遂昌县人民政府', actingFor: null };
const task = { step: 0, round: 1, party: 0 };

/**
 * Two instances' entries, interleaved in one chain as the service writes them; ids from 1.
 * In instance a, 陈 delegates the first task to 王, who approves it for 陈; in b, 陈 approves it himself.
 *
 *   ids 1-2   a: started, step_assigned
 *   ids 3-4   b: started, step_assigned
 *   id  5     a: delegated (陈 to 王)
 *   ids 6-8   a: step_approved (王, for 陈), step_completed, step_assigned (step 1)
 *   ids 9-11  b: step_approved (陈), step_completed, step_assigned (step 1)
 */
function trailOf(): { entries: ChainedEntry[]; a: Run; b: Run } {
  const runs = { a: new Run(a), b: new Run(b) };
  const fields = [
    ...runs.a.record(applicant, start(zonePlan, 1, at)),
    ...runs.b.record(applicant, start(zonePlan, 1, at)),
    ...runs.a.decide({ actor: '陈', actingFor: null }, { type: 'delegate', ...task, actor: '陈', to: { userId: 'u-wang', name: '王' }, reason: '出差，请王代办。' }, away),
    // The delegate decides for the reviewer who delegated (the service passes the task's delegatedBy).
    ...runs.a.decide({ actor: '王', actingFor: '陈' }, { type: 'approve', ...task, actor: '王', actorId: 'u-wang', opinion: '同意上报。' }, later),
    ...runs.b.decide({ actor: '陈', actingFor: null }, { type: 'approve', ...task, actor: '陈', opinion: '同意。' }, later),
  ];
  return { entries: chain(fields, GENESIS_HASH).map((e, i) => ({ ...e, id: String(i + 1) })), ...runs };
}

const trail = (): ChainedEntry[] => trailOf().entries;

/** An entry's `data` back as the domain event (the JSON form keeps dates as ISO text). */
const eventOf = (entry: ChainedEntry): InstanceEvent => reviveDates(entry.data);

describe('the audit hash chain', () => {
  it('accepts an untouched trail and counts its entries', () => {
    expect(verifyChain(trail())).toEqual({ ok: true, count: 11 });
    expect(verifyChain([])).toEqual({ ok: true, count: 0 });
  });

  it('records who decided, for whom (the reviewer who delegated the task, or no one), the opinion and the state change of each event', () => {
    const { entries: all } = trailOf();
    const row = (e: ChainedEntry) => [e.seq, e.action, e.actor, e.actingFor, e.opinion, e.fromStatus, e.toStatus, e.fromStep, e.toStep];
    expect(all.filter((e) => e.instanceId === a).map(row)).toEqual([
      [1, 'started', '遂昌县人民政府', null, null, null, 'in_review', null, 0],
      [2, 'step_assigned', '遂昌县人民政府', null, null, 'in_review', 'in_review', 0, 0],
      [3, 'delegated', '陈', null, '出差，请王代办。', 'in_review', 'in_review', 0, 0],
      [4, 'step_approved', '王', '陈', '同意上报。', 'in_review', 'in_review', 0, 0],
      [5, 'step_completed', '王', '陈', null, 'in_review', 'in_review', 0, 0],
      [6, 'step_assigned', '王', '陈', null, 'in_review', 'in_review', 0, 1],
    ]);
    // Acting for oneself: no one.
    expect(all.filter((e) => e.instanceId === b).map(row)).toEqual([
      [1, 'started', '遂昌县人民政府', null, null, null, 'in_review', null, 0],
      [2, 'step_assigned', '遂昌县人民政府', null, null, 'in_review', 'in_review', 0, 0],
      [3, 'step_approved', '陈', null, '同意。', 'in_review', 'in_review', 0, 0],
      [4, 'step_completed', '陈', null, null, 'in_review', 'in_review', 0, 0],
      [5, 'step_assigned', '陈', null, null, 'in_review', 'in_review', 0, 1],
    ]);
    const [started, , delegated, approved, , assigned] = all.filter((e) => e.instanceId === a);
    expect(started?.data).toEqual({ type: 'started', revision: 1, chain: zonePlan, at: at.toISOString() });
    expect(delegated?.data).toEqual({ type: 'delegated', ...task, actor: '陈', to: { userId: 'u-wang', name: '王' }, reason: '出差，请王代办。', at: away.toISOString() });
    expect(approved?.data).toEqual({ type: 'step_approved', ...task, actor: '王', actingFor: '陈', opinion: '同意上报。', at: later.toISOString() });
    expect(assigned?.data).toEqual({ type: 'step_assigned', step: 1, round: 2, parties: ['zj-commerce'], at: later.toISOString() });
  });

  it("rebuilds each instance's state from its entries' data", () => {
    const { entries, a: runA, b: runB } = trailOf();
    const replayed = (id: string) => replay(entries.filter((e) => e.instanceId === id).map(eventOf));
    expect(replayed(a)).toEqual(runA.current);
    expect(replayed(b)).toEqual(runB.current);
    expect(replayed(a)).toEqual({ status: 'in_review', revision: 1, currentStep: 1, round: 2, chain: zonePlan, parties: [{ organisation: 'zj-commerce', status: 'pending', assignee: null, delegatedBy: null }] });
  });

  it('starts from 64 zeros and links each entry to the one before it', () => {
    const entries = trail();
    expect(entries[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i += 1) expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it('names the entry whose opinion was changed: hash mismatch', () => {
    const entries = trail();
    entries[5] = { ...entries[5]!, opinion: '不同意' };
    expect(verifyChain(entries)).toEqual({ ok: false, count: 5, firstBroken: { id: '6', instanceId: a, seq: 4, reason: 'hash mismatch' } });
  });

  it('names a changed field of the recorded event, or a changed time, as a hash mismatch', () => {
    const data = trail();
    // b's chain without its joint review.
    const started = data[2]!.data as { chain: ChainStep[] };
    data[2] = { ...data[2]!, data: { ...started, chain: started.chain.filter((s) => s.mode !== 'all_of') } };
    expect(verifyChain(data)).toMatchObject({ ok: false, firstBroken: { id: '3', reason: 'hash mismatch' } });
    const time = trail();
    time[6] = { ...time[6]!, at: new Date(time[6]!.at.getTime() + 1) };
    expect(verifyChain(time)).toMatchObject({ ok: false, firstBroken: { id: '7', reason: 'hash mismatch' } });
  });

  it('names the entry after a deleted one: broken link', () => {
    const entries = trail();
    entries.splice(4, 1);
    expect(verifyChain(entries)).toEqual({ ok: false, count: 4, firstBroken: { id: '6', instanceId: a, seq: 4, reason: 'broken link' } });
  });

  it("detects a deleted entry even when the attacker re-links the rest: the instance's sequence gap", () => {
    const entries = trail();
    entries.splice(4, 1);
    const relinked = chain(entries, GENESIS_HASH).map((e, i) => ({ ...e, id: entries[i]!.id }));
    expect(verifyChain(relinked)).toEqual({ ok: false, count: 4, firstBroken: { id: '6', instanceId: a, seq: 4, reason: 'sequence gap' } });
  });

  it("detects a whole instance's entries removed", () => {
    const entries = trail().filter((e) => e.instanceId !== b);
    expect(verifyChain(entries)).toMatchObject({ ok: false, firstBroken: { id: '5', reason: 'broken link' } });
  });

  it('detects two entries swapped', () => {
    const entries = trail();
    [entries[5], entries[6]] = [entries[6]!, entries[5]!];
    expect(verifyChain(entries)).toMatchObject({ ok: false, count: 5, firstBroken: { id: '7', reason: 'broken link' } });
    const swappedIds = trail();
    const [five, six] = [swappedIds[5]!, swappedIds[6]!];
    swappedIds[5] = { ...six, id: five.id };
    swappedIds[6] = { ...five, id: six.id };
    expect(verifyChain(swappedIds)).toMatchObject({ ok: false, firstBroken: { id: '6', reason: 'broken link' } });
  });

  it('detects an entry whose hash was recomputed after a change: the next one no longer links', () => {
    const entries = trail();
    const changed = { ...entries[4]!, opinion: '不同意' };
    entries[4] = { ...changed, hash: entryHash(changed, changed.prevHash) };
    expect(verifyChain(entries)).toMatchObject({ ok: false, count: 5, firstBroken: { id: '6', reason: 'broken link' } });
  });

  it('checks batches as one walk, and stops at the first break', () => {
    const entries = trail();
    const walk = new ChainWalk();
    expect(entries.slice(0, 3).every((e) => walk.push(e))).toBe(true);
    expect(entries.slice(3).every((e) => walk.push(e))).toBe(true);
    expect(walk.verdict()).toEqual({ ok: true, count: 11 });
    expect(walk.headHash).toBe(entries[10]?.hash);
    expect(walk.push(entries[0]!)).toBe(false);
    expect(walk.push(entries[1]!)).toBe(false);
    expect(walk.verdict()).toMatchObject({ ok: false, count: 11, firstBroken: { id: '1', reason: 'broken link' } });
  });

  it('hashes a canonical form: key order and undefined members do not matter, dates are ISO', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'é' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"é","z":null}]},"b":1}');
    expect(canonicalJson({ at }))
      .toBe('{"at":"2025-11-27T08:00:01.000Z"}');
    const [entry] = trail();
    const reordered = { ...entry!, data: Object.fromEntries(Object.entries(entry!.data).reverse()) as InstanceEvent };
    expect(entryHash(reordered, GENESIS_HASH)).toBe(entry!.hash);
  });
});
