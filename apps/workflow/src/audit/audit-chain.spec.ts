import { describe, expect, it } from '@jest/globals';
import { decide, start, type InstanceEvent } from '@shanhai/domain';
import { canonicalJson, chain, ChainWalk, entryHash, GENESIS_HASH, verifyChain, type ChainedEntry } from './audit-chain.js';
import { auditFields } from './audit-entries.js';

const at = new Date('2025-11-27T08:00:01.000Z');
const later = new Date('2025-11-27T09:30:00.000Z');

/** Two instances' entries, interleaved in one chain as the service writes them; ids from 1. */
function trail(): ChainedEntry[] {
  const opened = (id: string) => {
    const events = start(3, at);
    if (!events.ok) throw new Error(events.code);
    return auditFields({ instanceId: id, revision: 1, definitionKey: 'zone_plan', definitionVersion: 1 }, { actor: '遂昌县人民政府', actingFor: null }, undefined, events.events, 1);
  };
  const approved = (id: string) => {
    const decision = decide({ status: 'in_review', currentStep: 0, stepCount: 3 }, { type: 'approve', step: 0, actor: '陈', opinion: '同意上报。' }, later);
    if (!decision.ok) throw new Error(decision.code);
    return auditFields(
      { instanceId: id, revision: 1, definitionKey: 'zone_plan', definitionVersion: 1 },
      { actor: '陈', actingFor: 'lishui-commerce' },
      { status: 'in_review', currentStep: 0, stepCount: 3 },
      decision.events,
      3,
    );
  };
  const a = 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b';
  const b = '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f';
  return chain([...opened(a), ...opened(b), ...approved(a), ...approved(b)], GENESIS_HASH).map((e, i) => ({ ...e, id: String(i + 1) }));
}

describe('the audit hash chain', () => {
  it('accepts an untouched trail and counts its entries', () => {
    expect(verifyChain(trail())).toEqual({ ok: true, count: 8 });
    expect(verifyChain([])).toEqual({ ok: true, count: 0 });
  });

  it('records who decided, the opinion and the state change of each event', () => {
    const entries = trail().filter((e) => e.instanceId === 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b');
    expect(entries.map((e) => [e.seq, e.action, e.actor, e.actingFor, e.opinion, e.fromStatus, e.toStatus, e.fromStep, e.toStep])).toEqual([
      [1, 'started', '遂昌县人民政府', null, null, null, 'in_review', null, 0],
      [2, 'step_assigned', '遂昌县人民政府', null, null, 'in_review', 'in_review', 0, 0],
      [3, 'step_approved', '陈', 'lishui-commerce', '同意上报。', 'in_review', 'in_review', 0, 0],
      [4, 'step_assigned', '陈', 'lishui-commerce', null, 'in_review', 'in_review', 0, 1],
    ]);
    expect(entries[2]?.data).toEqual({ type: 'step_approved', step: 0, actor: '陈', opinion: '同意上报。', at: later.toISOString() });
  });

  it('starts from 64 zeros and links each entry to the one before it', () => {
    const entries = trail();
    expect(entries[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i += 1) expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it('names the entry whose opinion was changed: hash mismatch', () => {
    const entries = trail();
    entries[4] = { ...entries[4]!, opinion: '不同意' };
    expect(verifyChain(entries)).toEqual({ ok: false, count: 4, firstBroken: { id: '5', instanceId: entries[4].instanceId, seq: 3, reason: 'hash mismatch' } });
  });

  it('names a changed field of the recorded event, or a changed time, as a hash mismatch', () => {
    const data = trail();
    data[2] = { ...data[2]!, data: { ...data[2]!.data, stepCount: 2 } };
    expect(verifyChain(data)).toMatchObject({ ok: false, firstBroken: { id: '3', reason: 'hash mismatch' } });
    const time = trail();
    time[6] = { ...time[6]!, at: new Date(time[6]!.at.getTime() + 1) };
    expect(verifyChain(time)).toMatchObject({ ok: false, firstBroken: { id: '7', reason: 'hash mismatch' } });
  });

  it('names the entry after a deleted one: broken link', () => {
    const entries = trail();
    entries.splice(4, 1);
    expect(verifyChain(entries)).toEqual({ ok: false, count: 4, firstBroken: { id: '6', instanceId: entries[4]!.instanceId, seq: 4, reason: 'broken link' } });
  });

  it("detects a deleted entry even when the attacker re-links the rest: the instance's sequence gap", () => {
    const entries = trail();
    entries.splice(4, 1);
    const relinked = chain(entries, GENESIS_HASH).map((e, i) => ({ ...e, id: entries[i]!.id }));
    expect(verifyChain(relinked)).toEqual({ ok: false, count: 4, firstBroken: { id: '6', instanceId: entries[4]!.instanceId, seq: 4, reason: 'sequence gap' } });
  });

  it("detects a whole instance's entries removed", () => {
    const entries = trail().filter((e) => e.instanceId !== '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f');
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
    expect(walk.verdict()).toEqual({ ok: true, count: 8 });
    expect(walk.headHash).toBe(entries[7]?.hash);
    expect(walk.push(entries[0]!)).toBe(false);
    expect(walk.push(entries[1]!)).toBe(false);
    expect(walk.verdict()).toMatchObject({ ok: false, count: 8, firstBroken: { id: '1', reason: 'broken link' } });
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
