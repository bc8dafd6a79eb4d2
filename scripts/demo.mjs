#!/usr/bin/env node
// `npm run demo`: plays Qingyuan county's zone creation plan (庆元) through the whole chain against
// the running services — or starts them with `npm start` first: 初审 → 审核, where the task is
// delegated (转办) to a colleague who returns it for correction (补正) → the county corrects it and
// resubmits revision 2, which re-enters 审核 (the reviewer sees the field-by-field diff), and urges
// it (催办) → the joint review (会审) by three departments in parallel → 审批 → the reply letter
// (复函). On the way it shows the legal clock: each step's due date in working days and the
// committed limit, both stopped by the correction and resumed with the days left. It prints the
// timeline and every email, and exits 0 only if every expected email arrived.
//
// It signs in as the seeded demo accounts (password SEED_PASSWORD, default shanhai-demo). The demo
// data is illustrative: Qingyuan's plan was approved in January 2022 (see shared/design/domain.md);
// the figures, people, addresses and opinions here are made up.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = (name, fallback) => Number(process.env[name] || fallback);
const host = '127.0.0.1';
const urls = {
  intake: `http://${host}:${port('INTAKE_PORT', 3001)}`,
  workflow: `http://${host}:${port('WORKFLOW_PORT', 3002)}`,
  notifier: `http://${host}:${port('NOTIFIER_PORT', 3003)}`,
  inbox: process.env.MAIL_INBOX_URL || `http://${host}:${port('MAIL_INBOX_HTTP_PORT', 8025)}`,
};
const STARTUP_TIMEOUT_MS = 15 * 60_000;
const STEP_TIMEOUT_MS = 60_000;

const PASSWORD = process.env.SEED_PASSWORD || 'shanhai-demo';
const attachmentKinds = ['application_letter', 'feasibility_report', 'land_use_plan', 'site_selection_opinion', 'plan_eia_review_opinion'];
const attachmentNames = ['申请书', '可行性报告', '土地利用规划', '选址意见', '规划环评审查意见'];

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function http(method, url, body, token) {
  const form = body instanceof FormData;
  const response = await fetch(url, {
    method,
    headers: { ...(form || body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return json;
}

async function until(what, probe, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const healthy = async (url) => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) }).catch(() => null))?.ok === true;
const allHealthy = async () => (await Promise.all([urls.intake, urls.workflow, urls.notifier].map(healthy))).every(Boolean);

/** Starts `npm start` in its own process group when the services are not up; returns a stopper. */
async function ensureServices() {
  if (await allHealthy()) {
    log('Using the services already running.');
    return async () => undefined;
  }
  log('The services are not running: starting them with `npm start` (output in the background)…');
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (d) => output.push(d.toString()) > 200 && output.shift();
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    await until('the services to become healthy', async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output.join('')}`);
      return allHealthy();
    }, STARTUP_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output.join('').slice(-3000)}`, { cause: error });
  }
  return stop;
}

const login = async (username) => (await http('POST', `${urls.intake}/auth/login`, { username, password: PASSWORD })).accessToken;

/** A one-page PDF standing in for a real document: content sniffing sees a PDF. */
const pdf = (title) =>
  new Blob([`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${title}\ntrailer << /Root 1 0 R >>\n%%EOF\n`], { type: 'application/pdf' });

async function play() {
  const started = Date.now();
  const applicant = await login('qingyuan');
  const tokens = new Map();
  /** A seeded account's token, signed in once. */
  const as = async (username) => tokens.get(username) ?? tokens.set(username, await login(username)).get(username);
  // The plan is intake's documented example: what a client starting from /docs would send.
  const docs = await http('GET', `${urls.intake}/docs-json`);
  const content = docs.paths['/zone-plans'].post.requestBody.content['application/json'];
  const plan = content.example ?? Object.values(content.examples)[0].value;

  log(`庆元县人民政府 (qingyuan) drafts ${plan.zoneName}…`);
  const draft = await http('POST', `${urls.intake}/zone-plans`, plan, applicant);
  log(`  draft ${draft.id}: ${draft.county.name}, ${draft.city.name}, ${draft.blocks.length} blocks, ${draft.totalAreaKm2} km²`);
  const attach = async (kind, filename) => {
    const form = new FormData();
    form.set('kind', kind);
    form.set('file', pdf(filename), filename);
    return http('POST', `${urls.intake}/zone-plans/${draft.id}/attachments`, form, applicant);
  };
  for (const [i, kind] of attachmentKinds.entries()) {
    const attachment = await attach(kind, `${attachmentNames[i]}.pdf`);
    log(`  attached ${attachmentNames[i]}.pdf (${attachment.mediaType}, sha256 ${attachment.sha256.slice(0, 12)}…)`);
  }
  const submission = await http('POST', `${urls.intake}/zone-plans/${draft.id}/submit`, undefined, applicant);
  log(`  submitted as revision ${submission.revision}`);

  /** The pending tasks of `step` for `username`'s organisation, once assigned. */
  const pendingFor = async (username, stepKey) =>
    until(`${stepKey} to be assigned to ${username}`, async () => {
      const { items } = await http('GET', `${urls.workflow}/tasks?submissionId=${submission.id}&status=pending&step=${stepKey}`, undefined, await as(username));
      return items.length ? items : undefined;
    });
  const decide = async (username, task, body) => http('POST', `${urls.workflow}/tasks/${task.id}/decisions`, body, await as(username));
  const approve = async (username, stepKey, opinion) => {
    const [task] = await pendingFor(username, stepKey);
    await decide(username, task, { outcome: 'approve', opinion });
    log(`  ${task.step.name} → ${task.organisation.name}: approved by ${username}「${opinion}」`);
    return task;
  };

  /** The instance's clocks (承诺时限 and each step's 办理时限), as a reviewer reads them. */
  const clocksOf = async (instanceId, username = 'zj-commerce') => (await http('GET', `${urls.workflow}/instances/${instanceId}`, undefined, await as(username))).deadlines;
  const clockLine = (c) =>
    c.status === 'paused'
      ? `stopped on ${c.pausedOn}${c.remainingDays === null ? ' (its due date was not known: no days left to count)' : ` with ${c.remainingDays} working days left`}`
      : `${c.limitDays} working days from ${c.startedOn}, due ${c.dueOn ?? `unknown (${c.problem})`}`;

  log();
  log('初审 and 审核 (the legal clock, on the PRC working-day calendar):');
  const [pre] = await pendingFor('lishui-commerce', 'city_pre_review');
  const clocks = await clocksOf(pre.instanceId, 'lishui-commerce');
  if (clocks.committed) log(`  承诺时限 (committed limit): ${clockLine(clocks.committed)}`);
  log(`  ${pre.step.name}: due ${pre.dueOn ?? '— (no time limit)'}`);
  await approve('lishui-commerce', 'city_pre_review', '同意上报。');
  const [review] = await pendingFor('zj-commerce', 'province_review');
  log(`  ${review.step.name}: due ${review.dueOn ?? '— (no time limit)'}`);
  const li = await http('GET', `${urls.intake}/me`, undefined, await as('zj-commerce-li'));
  await decide('zj-commerce', review, { outcome: 'delegate', to: { userId: li.id, name: li.name }, reason: '请李处主办。' });
  log(`  ${review.step.name}: delegated (转办) by zj-commerce to ${li.name}`);

  log();
  log('Return for correction (补正):');
  const block = plan.blocks[0];
  const notice = {
    outcome: 'return',
    opinion: '请按以下补正事项修改后重新提交。',
    deficiencies: [
      { target: 'field', ref: 'content.blocks.0.boundary.east', note: `${block.name}东至边界与国土空间规划“三区三线”不一致，请核实。` },
      { target: 'attachment', ref: 'site_selection_opinion', note: '选址意见缺少自然资源主管部门盖章。' },
    ],
  };
  await decide('zj-commerce-li', review, notice);
  log(`  ${review.step.name}: returned by ${li.name} (acting for zj-commerce) with ${notice.deficiencies.length} deficiencies`);
  const returned = await until('intake to show the correction notice', async () => {
    const view = await http('GET', `${urls.intake}/zone-plans/${submission.id}`, undefined, applicant);
    return view.status === 'returned' ? view : undefined;
  });
  for (const d of returned.correction.deficiencies) log(`    补正事项 ${d.target} ${d.ref}：${d.note}`);
  // The clocks stop while the county corrects (补正): the step's and the committed limit.
  const paused = await clocksOf(review.instanceId);
  const pausedStep = paused.steps.find((c) => c.step === review.step.index && c.round === review.round);
  if (paused.committed) log(`  承诺时限 ${clockLine(paused.committed)}`);
  if (pausedStep) log(`  ${review.step.name}'s clock ${clockLine(pausedStep)}`);
  if (pausedStep && pausedStep.status !== 'paused') throw new Error(`the return did not stop ${review.step.name}'s clock: ${JSON.stringify(pausedStep)}`);
  const east = '东至S228省道及庆元县城东工业园区规划路';
  const blocks = plan.blocks.map((b, i) => (i === 0 ? { ...b, boundary: { ...b.boundary, east } } : b));
  await http('PATCH', `${urls.intake}/zone-plans/${submission.id}`, { blocks }, applicant);
  await attach('site_selection_opinion', '选址意见（盖章版）.pdf');
  const resubmitted = await http('POST', `${urls.intake}/zone-plans/${submission.id}/submit`, undefined, applicant);
  log(`  庆元县人民政府 corrected the boundary, replaced the site-selection opinion, and resubmitted revision ${resubmitted.revision}`);
  const [again] = await pendingFor('zj-commerce', 'province_review');
  const diff = await http('GET', `${urls.workflow}/instances/${again.instanceId}/diff`, undefined, await as('zj-commerce'));
  log(`  ${again.step.name} again (round ${again.round}): the clock resumed with the days left, due ${again.dueOn ?? '—'}; what changed from revision ${diff.from} to ${diff.to}:`);
  for (const f of diff.fields) log(`    ${f.change} ${f.path}: ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`);
  for (const a of diff.attachments) log(`    ${a.change} attachment ${a.kind}: ${a.before?.filename ?? '—'} → ${a.after?.filename ?? '—'}`);
  // The county urges (催办) the step, at most once per working day: zj-commerce's people are emailed.
  const urge = await http('POST', `${urls.intake}/zone-plans/${submission.id}/urge`, { note: '项目落地时间紧，恳请尽快审核。' }, applicant);
  log(`  庆元县人民政府 urged (催办) ${again.step.name} on ${urge.urgedOn}「${urge.note}」`);
  await approve('zj-commerce', 'province_review', '补正材料齐全，符合创建条件，提请会审。');

  log();
  log('Joint review (会审): three departments in parallel, all must agree:');
  const departments = [
    ['zj-nr', '符合国土空间规划，同意。'],
    ['zj-drc', '符合产业政策，同意。'],
    ['zj-eco', '规划环评审查意见有效，同意。'],
  ];
  await Promise.all(departments.map(([username, opinion]) => approve(username, 'joint_review', opinion)));

  log();
  log('审批 and 复函:');
  await approve('zj-gov', 'province_approval', '同意创建浙江庆元经济开发区。');
  await approve('zj-gov-office', 'reply_letter', '复函已印发。');

  const final = await until('intake to report the plan approved', async () => {
    const view = await http('GET', `${urls.intake}/zone-plans/${submission.id}`, undefined, applicant);
    return view.status === 'approved' ? view : undefined;
  });
  const timeline = await http('GET', `${urls.intake}/zone-plans/${submission.id}/timeline`, undefined, applicant);
  log();
  log(`Timeline of ${final.zoneName} (status: ${final.status}, revision ${final.revision})`);
  for (const entry of timeline.items) {
    const who = entry.actor ? ` — ${entry.actor}` : '';
    const opinion = entry.opinion ? `「${entry.opinion.replaceAll('\n', ' ')}」` : '';
    log(`  ${entry.at}  ${entry.summary}${who}${opinion}`);
  }

  // Each task tells the people of its organisation (each active account; the mailbox when it has
  // none): 初审, 审核 twice (before and after the correction), the three departments, 审批 and 复函.
  // The applicant hears once of each step entered (the joint review once, naming all three). The
  // delegation tells zj-commerce's people (the delegate among them), as the urge does, the correction
  // notice the applicant, and the approval the applicant, the paired zone and the city (丽水市商务局).
  const admin = await login('admin');
  const users = (await http('GET', `${urls.intake}/directory/users?limit=200`, undefined, admin)).items;
  const peopleOf = (organisation) => Math.max(1, new Set(users.filter((u) => u.active && u.organisation === organisation).map((u) => u.email.toLowerCase())).size);
  const taskOrganisations = ['lishui-commerce', 'zj-commerce', 'zj-commerce', ...departments.map(([username]) => username), 'zj-gov', 'zj-gov-office'];
  const steps = 1 + 2 + 1 + 2;
  const tasks = taskOrganisations.reduce((n, organisation) => n + peopleOf(organisation), 0);
  const expected = tasks + steps + 2 * peopleOf('zj-commerce') + 1 + 3;
  const deliveriesOf = async () => (await http('GET', `${urls.notifier}/deliveries?submissionId=${submission.id}`, undefined, admin)).items;
  const deliveries = await until(`${expected} deliveries to be sent`, async () => {
    const items = await deliveriesOf();
    return items.length === expected && items.every((d) => d.status === 'sent') ? items : undefined;
  }).catch(async (error) => {
    for (const d of await deliveriesOf()) log(`  ${d.status.padEnd(7)} ${d.recipient}  ${d.subject}  ${d.lastError ?? ''}`);
    throw error;
  });

  log();
  const arrived = await inboxMessageIds(deliveries);
  log(arrived ? `Emails (${deliveries.length}), as received by the mail inbox at ${urls.inbox}:` : `Emails (${deliveries.length}), as accepted by the SMTP servers configured:`);
  for (const d of deliveries) {
    const mark = arrived ? (arrived.has(d.messageId) ? 'received' : 'MISSING ') : 'sent    ';
    log(`  ${mark}  ${d.recipient.padEnd(34)} ${d.subject}`);
  }
  const missing = arrived ? deliveries.filter((d) => !arrived.has(d.messageId)) : [];
  log();
  if (missing.length) throw new Error(`${missing.length} of ${expected} expected emails did not arrive`);
  log(`All ${expected} expected emails ${arrived ? 'arrived' : 'were accepted by the SMTP server'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * Message ids the built-in inbox received, waiting a little for stragglers; null when mail goes
 * to other SMTP servers (SMTP_URL or SMTP_URLS set), where the delivery log is the evidence.
 */
async function inboxMessageIds(deliveries) {
  if ((process.env.SMTP_URL || process.env.SMTP_URLS) && !process.env.MAIL_INBOX_URL) return null;
  const wanted = new Set(deliveries.map((d) => d.messageId));
  const deadline = Date.now() + 10_000;
  let received = new Set();
  while (Date.now() < deadline) {
    const mails = await http('GET', `${urls.inbox}/api/messages`).catch(() => null);
    if (!mails) return null;
    received = new Set(mails.map((m) => m.messageId).filter((id) => wanted.has(id)));
    if (received.size === wanted.size) break;
    await sleep(250);
  }
  return received;
}

let stop = async () => undefined;
try {
  stop = await ensureServices();
  await play();
  await stop();
  process.exit(0);
} catch (error) {
  log(`demo failed: ${error.message}`);
  await stop();
  process.exit(1);
}
