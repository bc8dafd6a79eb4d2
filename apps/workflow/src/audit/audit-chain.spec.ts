import { describe, expect, it } from '@jest/globals';
import { decide, evolve, replay, start, type ChainStep, type InstanceCommand, type InstanceEvent, type InstanceState } from '@shanhai/domain';
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson, chain, entryHash, GENESIS_HASH, HASH_FORMAT, LEGACY_HASH_FORMAT, type AuditFields, type ChainedEntry } from './audit-chain.js';
import { checkpointHash, checkpointSignature, CheckpointWalk, HeadsDigest, headsDigest, sealCheckpoint, type Checkpoint, type CheckpointHead } from './audit-checkpoint.js';
import { auditFields, type AuditActor } from './audit-entries.js';
import { firstBreak, InstanceChainWalk, verifyChain, type LegacyBoundary } from './audit-walk.js';
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
 * Ids from 1 in the order given. The first `legacy` entries form the one global chain of the
 * first design (format 1, each linked to the entry before it in the table); the rest are linked
 * per instance (format 2), the first new entry of an old instance to that instance's last old one.
 */
function link(fields: readonly AuditFields[], legacy = 0): ChainedEntry[] {
  const last = new Map<string, string>();
  let previous = GENESIS_HASH;
  return fields.map((f, i) => {
    const old = i < legacy;
    const [entry] = chain([f], old ? previous : (last.get(f.instanceId) ?? GENESIS_HASH), old ? LEGACY_HASH_FORMAT : HASH_FORMAT);
    previous = entry!.hash;
    last.set(f.instanceId, entry!.hash);
    return { ...entry!, id: String(i + 1) };
  });
}

/** The boundary the migration records after the first `legacy` entries. */
const boundaryOf = (entries: readonly ChainedEntry[], legacy: number): LegacyBoundary => {
  const head = entries[legacy - 1]!;
  return { untilId: head.id, headHash: head.hash, headInstanceId: head.instanceId, headSeq: head.seq };
};

/**
 * Two instances' entries, interleaved as the service writes them; ids from 1, each instance its
 * own chain. In instance a, 陈 delegates the first task to 王, who approves it for 陈; in b, 陈
 * approves it himself.
 *
 *   ids 1-2   a: started, step_assigned
 *   ids 3-4   b: started, step_assigned
 *   id  5     a: delegated (陈 to 王)
 *   ids 6-8   a: step_approved (王, for 陈), step_completed, step_assigned (step 1)
 *   ids 9-11  b: step_approved (陈), step_completed, step_assigned (step 1)
 */
function trailOf(legacy = 0): { fields: AuditFields[]; entries: ChainedEntry[]; a: Run; b: Run } {
  const runs = { a: new Run(a), b: new Run(b) };
  const fields = [
    ...runs.a.record(applicant, start(zonePlan, 1, at)),
    ...runs.b.record(applicant, start(zonePlan, 1, at)),
    ...runs.a.decide({ actor: '陈', actingFor: null }, { type: 'delegate', ...task, actor: '陈', to: { userId: 'u-wang', name: '王' }, reason: '出差，请王代办。' }, away),
    // The delegate decides for the reviewer who delegated (the service passes the task's delegatedBy).
    ...runs.a.decide({ actor: '王', actingFor: '陈' }, { type: 'approve', ...task, actor: '王', actorId: 'u-wang', opinion: '同意上报。' }, later),
    ...runs.b.decide({ actor: '陈', actingFor: null }, { type: 'approve', ...task, actor: '陈', opinion: '同意。' }, later),
  ];
  return { fields, entries: link(fields, legacy), ...runs };
}

const trail = (): ChainedEntry[] => trailOf().entries;
const without = (entries: readonly ChainedEntry[], id: string): ChainedEntry[] => entries.filter((e) => e.id !== id);
const changed = (entries: readonly ChainedEntry[], id: string, change: Partial<ChainedEntry>): ChainedEntry[] => entries.map((e) => (e.id === id ? { ...e, ...change } : e));
/** Each instance's last entry, as a checkpoint records it. */
const headsOf = (entries: readonly ChainedEntry[]): CheckpointHead[] => [a, b].map((id) => entries.filter((e) => e.instanceId === id).at(-1)!).map(({ instanceId, seq, hash }) => ({ instanceId, seq, hash }));

/** An entry's `data` back as the domain event (the JSON form keeps dates as ISO text). */
const eventOf = (entry: ChainedEntry): InstanceEvent => reviveDates(entry.data);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const byInstance = (x: CheckpointHead, y: CheckpointHead): number => (x.instanceId < y.instanceId ? -1 : 1);

describe("the audit trail's per-instance hash chains", () => {
  it('accepts an untouched trail, counts its entries and digests every instance\'s last one', () => {
    const entries = trail();
    expect(verifyChain(entries)).toEqual({ ok: true, count: 11, headHash: headsDigest(headsOf(entries)) });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, headHash: sha256('[]') });
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

  it("links each entry to its own instance's previous entry, from 64 zeros, whatever other instances appended in between", () => {
    const entries = trail();
    for (const id of [a, b]) {
      const mine = entries.filter((e) => e.instanceId === id);
      expect(mine[0]?.prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < mine.length; i += 1) expect(mine[i]?.prevHash).toBe(mine[i - 1]?.hash);
    }
    // b's first entry follows a's second in the table, and links to nothing.
    expect(entries[2]).toMatchObject({ id: '3', instanceId: b, seq: 1, prevHash: GENESIS_HASH });
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash) && entryHash(e, e.prevHash, 2) === e.hash)).toBe(true);
  });

  it('names the entry whose opinion was changed: hash mismatch', () => {
    expect(verifyChain(changed(trail(), '6', { opinion: '不同意' }))).toEqual({
      ok: false,
      count: 5,
      firstBroken: { id: '6', instanceId: a, seq: 4, reason: 'hash mismatch' },
      headHash: expect.any(String),
    });
  });

  it('names a changed field of the recorded event, or a changed time, as a hash mismatch', () => {
    const entries = trail();
    // b's chain without its joint review.
    const started = entries[2]!.data as { chain: ChainStep[] };
    expect(verifyChain(changed(entries, '3', { data: { ...started, chain: started.chain.filter((s) => s.mode !== 'all_of') } }))).toMatchObject({
      ok: false,
      firstBroken: { id: '3', reason: 'hash mismatch' },
    });
    expect(verifyChain(changed(entries, '7', { at: new Date(entries[6]!.at.getTime() + 1) }))).toMatchObject({ ok: false, firstBroken: { id: '7', reason: 'hash mismatch' } });
  });

  it("names the entry after a deleted one in its instance: broken link", () => {
    expect(verifyChain(without(trail(), '5'))).toMatchObject({ ok: false, count: 4, firstBroken: { id: '6', instanceId: a, seq: 4, reason: 'broken link' } });
  });

  it("detects a deleted entry even when the attacker re-links the rest: the instance's sequence gap", () => {
    const rest = without(trail(), '5');
    const mine = rest.filter((e) => e.instanceId === a);
    const relinked = chain(mine.map(({ id: _id, prevHash: _p, hash: _h, ...fields }) => fields), GENESIS_HASH).map((e, i) => ({ ...e, id: mine[i]!.id }));
    expect(verifyChain([...rest.filter((e) => e.instanceId === b), ...relinked])).toMatchObject({
      ok: false,
      count: 4,
      firstBroken: { id: '6', instanceId: a, seq: 4, reason: 'sequence gap' },
    });
  });

  it('detects two entries of an instance swapped, and an entry whose hash was recomputed after a change', () => {
    const swapped = trail().map((e) => (e.id === '6' ? { ...e, seq: 5 } : e.id === '7' ? { ...e, seq: 4 } : e));
    expect(verifyChain(swapped)).toMatchObject({ ok: false, firstBroken: { id: '7', seq: 4, reason: 'broken link' } });
    const entries = trail();
    const edited = { ...entries[4]!, opinion: '不同意' };
    expect(verifyChain(changed(entries, '5', { opinion: '不同意', hash: entryHash(edited, edited.prevHash) }))).toMatchObject({
      ok: false,
      count: 5,
      firstBroken: { id: '6', reason: 'broken link' },
    });
  });

  it('names the break with the smallest id, whichever instance the walk reads first', () => {
    // The walk reads b (7f4f…) before a (ebe2…).
    expect(verifyChain(changed(changed(trail(), '9', { opinion: '改' }), '6', { opinion: '改' }))).toMatchObject({ firstBroken: { id: '6', instanceId: a } });
    expect(verifyChain(changed(changed(trail(), '3', { actor: '改' }), '8', { actor: '改' }))).toMatchObject({ firstBroken: { id: '3', instanceId: b } });
  });

  it("cannot see, on its own, an instance's entries removed altogether or its newest cut off: the heads change, and checkpoints name them", () => {
    const entries = trail();
    const full = verifyChain(entries);
    const noB = verifyChain(entries.filter((e) => e.instanceId !== b));
    const cut = verifyChain(without(entries, '8'));
    expect([noB.ok, cut.ok]).toEqual([true, true]);
    expect(new Set([full.headHash, noB.headHash, cut.headHash]).size).toBe(3);
  });

  it('walks entries one at a time in (instance, seq) order, in constant memory', () => {
    const entries = [...trail()].sort((x, y) => (x.instanceId === y.instanceId ? x.seq - y.seq : x.instanceId < y.instanceId ? -1 : 1));
    const walk = new InstanceChainWalk();
    entries.forEach((e) => walk.push(e));
    expect(walk.finish()).toEqual({ count: 11, firstBroken: undefined, headHash: headsDigest(headsOf(entries)) });
    const unordered = new InstanceChainWalk();
    expect(() => trail().forEach((e) => unordered.push(e))).toThrow(/out of order/);
  });

  it('hashes a canonical form: key order and undefined members do not matter, dates are ISO', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'é' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"é","z":null}]},"b":1}');
    expect(canonicalJson({ at }))
      .toBe('{"at":"2025-11-27T08:00:01.000Z"}');
    const [entry] = trail();
    const reordered = { ...entry!, data: Object.fromEntries(Object.entries(entry!.data).reverse()) as InstanceEvent };
    expect(entryHash(reordered, GENESIS_HASH)).toBe(entry!.hash);
    // The format is covered: a legacy (format 1) hash is another hash.
    expect(entryHash(entry!, GENESIS_HASH, LEGACY_HASH_FORMAT)).not.toBe(entry!.hash);
  });
});

describe('entries from before per-instance chains (up to the legacy boundary)', () => {
  it('checks the old entries through their global links and the new ones per instance, the first new entry of an old instance linked to its last old one', () => {
    const entries = trailOf(5).entries;
    expect(verifyChain(entries, boundaryOf(entries, 5))).toEqual({ ok: true, count: 11, headHash: headsDigest(headsOf(entries)) });
    // Old: b's first entry links to a's second (the entry before it in the table).
    expect(entries[2]?.prevHash).toBe(entries[1]?.hash);
    // New: a's fourth links to a's third (id 5, old), b's third to b's second (id 4, old).
    expect([entries[5]?.prevHash, entries[8]?.prevHash]).toEqual([entries[4]?.hash, entries[3]?.hash]);
  });

  it('names an old entry changed (hash mismatch) or deleted (broken link at the entry after it in the table)', () => {
    const entries = trailOf(5).entries;
    const boundary = boundaryOf(entries, 5);
    expect(verifyChain(changed(entries, '2', { opinion: '改' }), boundary)).toMatchObject({ ok: false, count: 1, firstBroken: { id: '2', instanceId: a, seq: 2, reason: 'hash mismatch' } });
    expect(verifyChain(without(entries, '3'), boundary)).toMatchObject({ ok: false, count: 2, firstBroken: { id: '4', instanceId: b, seq: 2, reason: 'broken link' } });
  });

  it("names the old chain's last entry cut off as missing: the boundary recorded it", () => {
    const entries = trailOf(11).entries;
    expect(verifyChain(without(entries, '11'), boundaryOf(entries, 11))).toEqual({
      ok: false,
      count: 10,
      firstBroken: { id: null, instanceId: b, seq: 5, reason: 'missing entry' },
      headHash: expect.any(String),
    });
  });

  it('refuses the boundary moved either way: the entries across it have the other format or links', () => {
    const entries = trailOf(5).entries;
    expect(verifyChain(entries, boundaryOf(entries, 6))).toMatchObject({ ok: false, firstBroken: { id: '6', reason: 'hash mismatch' } });
    expect(verifyChain(entries, boundaryOf(entries, 4))).toMatchObject({ ok: false, firstBroken: { id: '5', reason: 'broken link' } });
  });
});

describe('signed checkpoints over the chain heads', () => {
  const key = { kid: 'audit-2026', secret: 'audit-checkpoint-key-of-2026-for-the-spec' };
  const older = { kid: 'audit-2025', secret: 'audit-checkpoint-key-of-2025-for-the-spec' };

  /** `n` checkpoints, each linked to the one before and signed, with the heads each lists. */
  function checkpoints(n: number, signWith = key): { checkpoint: Checkpoint; listed: { digest: string; count: number } }[] {
    let prevHash = GENESIS_HASH;
    return Array.from({ length: n }, (_, i) => {
      const heads = [{ instanceId: a, seq: i + 1, hash: sha256(`a${i}`) }, { instanceId: b, seq: i + 2, hash: sha256(`b${i}`) }];
      const digest = headsDigest(heads);
      const sealed = sealCheckpoint({ prevHash, at: new Date(at.getTime() + i * 60_000), digest, headCount: heads.length }, signWith);
      prevHash = sealed.hash;
      return { checkpoint: { id: String(i + 1), ...sealed }, listed: { digest, count: heads.length } };
    });
  }

  const walked = (list: ReturnType<typeof checkpoints>, keys = [key]) => {
    const walk = new CheckpointWalk(keys);
    for (const { checkpoint, listed } of list) if (!walk.push(checkpoint, listed)) break;
    return walk.verdict();
  };

  it('digests the heads as the canonical list in instance order, whatever order they come in', () => {
    const heads = headsOf(trail());
    expect(headsDigest(heads)).toBe(sha256(canonicalJson([...heads].sort(byInstance))));
    expect(headsDigest([...heads].reverse())).toBe(headsDigest(heads));
    expect(headsDigest([])).toBe(sha256('[]'));
    expect(headsDigest(heads.map((h) => (h.instanceId === a ? { ...h, seq: h.seq - 1 } : h)))).not.toBe(headsDigest(heads));
    const streamed = new HeadsDigest();
    [...heads].sort(byInstance).forEach((h) => streamed.push(h));
    expect([streamed.count, streamed.digest()]).toEqual([2, headsDigest(heads)]);
    expect(() => streamed.push(heads.find((h) => h.instanceId === a)!)).toThrow(/out of order/);
  });

  it('hashes the format, the previous hash, the time, the digest and the head count, and signs the hash with HMAC-SHA256', () => {
    const fields = { prevHash: GENESIS_HASH, at, digest: sha256('heads'), headCount: 2 };
    const hash = checkpointHash(fields);
    expect(hash).toBe(sha256(canonicalJson({ format: 1, prevHash: GENESIS_HASH, at: at.toISOString(), digest: sha256('heads'), headCount: 2 })));
    const variants = [{ prevHash: sha256('x') }, { at: new Date(at.getTime() + 1) }, { digest: sha256('other') }, { headCount: 3 }].map((v) => checkpointHash({ ...fields, ...v }));
    expect(new Set([hash, ...variants]).size).toBe(5);
    expect(sealCheckpoint(fields, key)).toEqual({ ...fields, hash, keyId: 'audit-2026', signature: createHmac('sha256', key.secret).update(hash).digest('hex') });
    expect(checkpointSignature(hash, older)).not.toBe(checkpointSignature(hash, key));
  });

  it('accepts linked, signed checkpoints, counts them and gives the last hash', () => {
    const list = checkpoints(3);
    expect(walked(list)).toEqual({ count: 3, lastHash: list[2]!.checkpoint.hash });
    expect(walked([])).toEqual({ count: 0, lastHash: null });
  });

  it('names a checkpoint changed, removed, re-hashed without the key, or whose heads changed: checkpoint tampered', () => {
    const list = checkpoints(3);
    const second = list[1]!;
    const at2 = new Date(second.checkpoint.at.getTime() + 1000);
    const tampered = (checkpoint: Partial<Checkpoint>, listed = second.listed) => [list[0]!, { checkpoint: { ...second.checkpoint, ...checkpoint }, listed }, list[2]!];
    const atSecond = { count: 1, lastHash: list[0]!.checkpoint.hash, broken: { checkpointId: '2', reason: 'checkpoint tampered' } };
    expect(walked(tampered({ at: at2 }))).toEqual(atSecond);
    expect(walked(tampered({ at: at2, hash: checkpointHash({ ...second.checkpoint, at: at2 }) }))).toEqual(atSecond);
    expect(walked(tampered({}, { ...second.listed, count: 1 }))).toEqual(atSecond);
    expect(walked(tampered({}, { ...second.listed, digest: sha256('one head fewer') }))).toEqual(atSecond);
    expect(walked([list[0]!, list[2]!])).toEqual({ count: 1, lastHash: list[0]!.checkpoint.hash, broken: { checkpointId: '3', reason: 'checkpoint tampered' } });
  });

  it('verifies with every listed key (rotation) and names a key it does not know', () => {
    expect(walked(checkpoints(2, older), [key, older])).toMatchObject({ count: 2 });
    expect(walked(checkpoints(2, older), [key])).toEqual({ count: 0, lastHash: null, broken: { checkpointId: '1', reason: 'unknown signing key' } });
    const forged = checkpoints(1, { kid: key.kid, secret: 'not-the-key-but-long-enough-to-be-one' });
    expect(walked(forged)).toMatchObject({ broken: { checkpointId: '1', reason: 'checkpoint tampered' } });
  });
});

describe('the break reported', () => {
  const entry = (id: string) => ({ id, instanceId: a, seq: 1, reason: 'hash mismatch' as const });
  const missing = { id: null, instanceId: b, seq: 3, reason: 'missing entry' as const, checkpointId: '2' };
  const checkpoint = { id: null, instanceId: null, seq: null, reason: 'checkpoint tampered' as const, checkpointId: '4' };

  it('is the entry break with the smallest id, else a missing entry, else the checkpoint problem', () => {
    expect(firstBreak({ entries: [entry('12'), undefined, entry('9')], missing: [missing], checkpoint })).toEqual(entry('9'));
    expect(firstBreak({ entries: [undefined], missing: [undefined, missing], checkpoint })).toEqual(missing);
    expect(firstBreak({ entries: [], missing: [], checkpoint })).toEqual(checkpoint);
    expect(firstBreak({ entries: [], missing: [] })).toBeUndefined();
  });
});
