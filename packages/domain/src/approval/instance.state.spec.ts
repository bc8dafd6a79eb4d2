import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decide, replay, start, type InstanceCommand, type InstanceEvent, type InstanceState } from './instance.state.js';

const now = new Date('2026-03-02T09:00:00+08:00');
const approve = (step: number): InstanceCommand => ({ type: 'approve', step, actor: '丽水市商务局 王审核', opinion: '同意' });
const reject = (step: number, reason = '选址与国土空间规划不符'): InstanceCommand => ({ type: 'reject', step, actor: 'reviewer', reason });
const withdraw: InstanceCommand = { type: 'withdraw', actor: '遂昌县人民政府' };
const state = (status: InstanceState['status'], currentStep: number): InstanceState => ({ status, currentStep, stepCount: 3 });
const types = (d: ReturnType<typeof decide>): string[] | string => (d.ok ? d.events.map((e) => e.type) : d.code);

describe('approval instance transitions', () => {
  // Every status × command, on the current step and on another step.
  it.each([
    ['in_review', 0, approve(0), ['step_approved', 'step_assigned']],
    ['in_review', 1, approve(1), ['step_approved', 'step_assigned']],
    ['in_review', 2, approve(2), ['step_approved', 'approved']],
    ['in_review', 0, reject(0), ['rejected']],
    ['in_review', 2, reject(2), ['rejected']],
    ['in_review', 1, approve(0), 'STEP_NOT_CURRENT'],
    ['in_review', 1, approve(2), 'STEP_NOT_CURRENT'],
    ['in_review', 1, reject(0), 'STEP_NOT_CURRENT'],
    ['in_review', 1, reject(1, '  '), 'REASON_REQUIRED'],
    ['approved', 2, approve(2), 'INSTANCE_CLOSED'],
    ['approved', 2, reject(2), 'INSTANCE_CLOSED'],
    ['rejected', 1, approve(1), 'INSTANCE_CLOSED'],
    ['rejected', 1, reject(1), 'INSTANCE_CLOSED'],
    ['in_review', 0, withdraw, ['withdrawn']],
    ['in_review', 2, withdraw, ['withdrawn']],
    ['approved', 2, withdraw, 'INSTANCE_CLOSED'],
    ['rejected', 1, withdraw, 'INSTANCE_CLOSED'],
    ['withdrawn', 1, approve(1), 'INSTANCE_CLOSED'],
    ['withdrawn', 1, reject(1), 'INSTANCE_CLOSED'],
    ['withdrawn', 1, withdraw, 'INSTANCE_CLOSED'],
  ] as const)('%s at step %i, %j → %j', (status, step, cmd, expected) => {
    expect(types(decide(state(status, step), cmd, now))).toEqual(expected);
  });

  it('assigns the next step after an approval', () => {
    const d = decide(state('in_review', 0), approve(0), now);
    expect(d.ok && d.events[1]).toEqual({ type: 'step_assigned', step: 1, at: now });
  });

  it('opens an instance with its first step assigned', () => {
    const opened = start(3, now);
    expect(types(opened)).toEqual(['started', 'step_assigned']);
    expect(opened.ok && replay(opened.events)).toEqual(state('in_review', 0));
  });

  it('ends the instance at its pending step when the applicant withdraws', () => {
    const d = decide(state('in_review', 1), { type: 'withdraw', actor: '遂昌县人民政府', reason: '规划调整' }, now);
    expect(d.ok && d.events).toEqual([{ type: 'withdrawn', step: 1, actor: '遂昌县人民政府', reason: '规划调整', at: now }]);
    const opened = start(3, now);
    const log: InstanceEvent[] = [...(opened.ok ? opened.events : []), { type: 'step_assigned', step: 1, at: now }, ...(d.ok ? d.events : [])];
    expect(replay(log)).toEqual(state('withdrawn', 1));
  });

  it('refuses a chain without steps', () => {
    expect(types(start(0, now))).toBe('INVALID_CHAIN');
  });

  it('never reaches an invalid state, whatever commands arrive, and replay equals the folded state', () => {
    const command = fc.record({
      type: fc.constantFrom('approve' as const, 'reject' as const, 'withdraw' as const),
      step: fc.integer({ min: -1, max: 4 }),
      reason: fc.constantFrom('', '不符合条件'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(command, { maxLength: 30 }), (stepCount, commands) => {
        const opened = start(stepCount, now);
        if (!opened.ok) throw new Error('start refused');
        const log: InstanceEvent[] = [...opened.events];
        for (const c of commands) {
          const current = replay(log)!;
          const cmd: InstanceCommand =
            c.type === 'approve'
              ? { type: 'approve', step: c.step, actor: 'a' }
              : c.type === 'reject'
                ? { type: 'reject', step: c.step, actor: 'a', reason: c.reason }
                : { type: 'withdraw', actor: 'a' };
          const d = decide(current, cmd, now);
          if (d.ok) log.push(...d.events);
        }
        const final = replay(log)!;
        expect(final.currentStep).toBeGreaterThanOrEqual(0);
        expect(final.currentStep).toBeLessThan(stepCount);
        const closing = log.filter((e) => e.type === 'approved' || e.type === 'rejected' || e.type === 'withdrawn');
        expect(closing.length).toBe(final.status === 'in_review' ? 0 : 1);
        if (final.status === 'approved') {
          expect(log.filter((e) => e.type === 'step_approved').map((e) => e.step)).toEqual([...Array(stepCount).keys()]);
        }
      }),
    );
  });
});
