#!/usr/bin/env node
// `npm run bench`: measures the hot pure paths of the built code — the approval engine's rules, the
// audit replay, the revision diff, and the notifier's rendering — and prints time per operation,
// operations per second and heap growth. Numbers are for comparing commits on one machine; nothing
// here asserts a speed (tests never do).
//
// Run `npm run build` first (the script says so if a package is not built).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = async (relative) => {
  const file = path.join(root, relative);
  if (!existsSync(file)) {
    console.error(`bench: ${relative} is not built; run \`npm run build\` first.`);
    process.exit(1);
  }
  return import(pathToFileURL(file).href);
};

const domain = await built('packages/domain/dist/index.js');
const { noticesFor } = await built('apps/notifier/dist/notifications/notices.js');
const { createMessage, TaskAssigned, ApprovalReturned } = await built('packages/contracts/dist/index.js');

/** Runs `fn` for about `ms` after a warm-up; reports mean time per call and the heap it left behind. */
function measure(name, fn, ms = 1500) {
  for (let i = 0; i < 200; i += 1) fn(i);
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i += 1) fn(calls + i);
    calls += 50;
    now = process.hrtime.bigint();
  }
  const perCall = Number(now - start) / calls;
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  return { name, calls, perCall, heapDeltaKb: Math.round((heapAfter - heapBefore) / 1024) };
}

const now = new Date('2026-11-27T08:00:00Z');
const chain = [
  { mode: 'single', parties: ['lishui-commerce'] },
  { mode: 'single', parties: ['zj-commerce'] },
  { mode: 'all_of', parties: ['zj-nr', 'zj-drc', 'zj-eco'] },
  { mode: 'single', parties: ['zj-gov'] },
  { mode: 'single', parties: ['zj-gov-office'] },
];

/** One submission through the whole chain, returned for correction at 审核 `returns` times: every event. */
function walk(returns = 1) {
  const opened = domain.start(chain, 1, now);
  const log = [...opened.events];
  let state = domain.replay(log);
  const apply = (command) => {
    const decision = domain.decide(state, command, now);
    if (!decision.ok) throw new Error(`${command.type}: ${decision.code}`);
    log.push(...decision.events);
    state = decision.events.reduce(domain.evolve, state);
  };
  const task = (party = 0) => ({ step: state.currentStep, round: state.round, party, actor: '审核员' });
  apply({ type: 'approve', ...task() });
  for (let r = 1; r <= returns; r += 1) {
    apply({ type: 'return', ...task(), deficiencies: [{ target: 'field', ref: 'content.blocks.0.areaKm2', note: '面积不一致' }] });
    apply({ type: 'resubmit', actor: '庆元县人民政府', revision: r + 1 });
  }
  apply({ type: 'approve', ...task() });
  for (const party of [0, 1, 2]) apply({ type: 'approve', ...task(party) });
  apply({ type: 'approve', ...task() });
  apply({ type: 'approve', ...task() });
  return log;
}

const fullLog = walk();
/** A submission returned 300 times: a long but valid audit trail. */
const longLog = walk(300);

const content = (east) => ({
  blocks: Array.from({ length: 10 }, (_, i) => ({ name: `区块${i}`, areaKm2: 1 + i / 10, boundary: { east: i === 3 ? east : `东至${i}号路`, south: '南至溪', west: '西至山', north: '北至村' } })),
  leadingIndustries: ['竹木制品', '生物医药', '数字经济'],
  landUseConformity: '符合国土空间总体规划。'.repeat(20),
  planEiaReviewRef: '丽环建〔2021〕12号',
  plannedInvestmentYi: 45.6,
});
const before = { fields: { title: '浙江庆元经济开发区', content: content('东至S228省道') }, attachments: [{ kind: 'land_use_plan', filename: 'a.pdf', sha256: 'a'.repeat(64) }] };
const after = { fields: { title: '浙江庆元经济开发区', content: content('东至S228省道及规划路') }, attachments: [{ kind: 'land_use_plan', filename: 'b.pdf', sha256: 'b'.repeat(64) }] };

const submission = {
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 2,
  title: '浙江庆元经济开发区',
  county: { code: 'qingyuan', name: '庆元县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '庆元县人民政府', email: 'qingyuan@county.shanhai.example' },
  stakeholders: [
    { name: '绍兴柯桥经济技术开发区', email: 'keqiao-zone@shanhai.example' },
    { name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' },
  ],
};
const meta = { id: randomUUID(), occurredAt: now, correlationId: 'bench' };
const ref = { instanceId: randomUUID(), submission, definition: { key: 'zone_plan', version: 2 } };
const step = { index: 2, key: 'joint_review', name: '省级部门会审', organisation: { code: 'zj-nr', name: '浙江省自然资源厅', email: 'zj-nr@shanhai.example' } };
const assigned = createMessage(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 5, party: 0, parties: [{ code: 'zj-nr', name: '浙江省自然资源厅' }, { code: 'zj-drc', name: '浙江省发展和改革委员会' }, { code: 'zj-eco', name: '浙江省生态环境厅' }] }, meta);
const deficiencies = Array.from({ length: 20 }, (_, i) => ({ target: i % 2 ? 'attachment' : 'field', ref: i % 2 ? 'land_use_plan' : `content.blocks.${i % 10}.areaKm2`, note: `第${i + 1}项：请补正。` }));
const returned = createMessage(ApprovalReturned, { ...ref, taskId: randomUUID(), step, decidedBy: '浙江省自然资源厅 审核员', opinion: '请补正。', deficiencies }, meta);
const watchers = Array.from({ length: 5 }, (_, i) => ({ name: `关注者${i}`, email: `watcher-${i}@shanhai.example` }));
const english = () => 'en';

const results = [
  measure(`engine: a whole chain with a return (decide + evolve, ${fullLog.length} events)`, () => walk()),
  measure(`engine: replay an audit trail of ${longLog.length} events`, () => domain.replay(longLog)),
  measure(`engine: replay ${fullLog.length} events, then check the invariants`, () => domain.invariantViolation(domain.replay(fullLog))),
  measure('diff: two revisions of a 10-block plan', () => domain.diffRevisions(before, after)),
  measure('deficiencies: check 20 against a revision', () => domain.deficiencyProblems(deficiencies, 'zone_plan', after)),
  measure('notifier: render a joint-review assignment (zh-CN, + 5 watchers)', () => noticesFor(assigned, { watchers })),
  measure('notifier: render a 20-item correction notice (en)', () => noticesFor(returned, { localeOf: english })),
];

const pad = (s, n) => String(s).padEnd(n);
console.log(`node ${process.version}, ${process.platform}/${process.arch}${globalThis.gc ? '' : ' (run with --expose-gc for steadier heap figures)'}\n`);
console.log(`${pad('benchmark', 70)} ${pad('µs/op', 10)} ${pad('ops/s', 12)} heap Δ KB`);
for (const r of results) {
  console.log(`${pad(r.name, 70)} ${pad((r.perCall / 1000).toFixed(2), 10)} ${pad(Math.round(1e9 / r.perCall).toLocaleString('en'), 12)} ${r.heapDeltaKb}`);
}
