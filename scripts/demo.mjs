#!/usr/bin/env node
// `npm run demo`: plays Qingyuan county's zone creation plan (庆元) through 初审 → 审核 → 审批
// against the running services — or starts them with `npm start` first — then prints the
// timeline and every email, and exits 0 only if every expected email arrived.
//
// The demo data is illustrative: Qingyuan's plan was approved in January 2022 (see
// shared/design/domain.md); the people, addresses and opinions here are made up.
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

const plan = {
  zoneName: '浙江庆元经济开发区',
  countyCode: 'qingyuan',
  contact: { name: '庆元县人民政府 开发区筹建办', email: 'qingyuan@county.shanhai.example' },
  stakeholders: [{ name: '绍兴柯桥经济技术开发区（结对开发区，示例）', email: 'keqiao-zone@shanhai.example' }],
};
const reviewers = ['丽水市商务局 审核员 陈', '浙江省商务厅 审核员 周', '浙江省人民政府 审批人 吴'];
const opinions = ['同意上报。', '经审核，符合创建条件，同意报省政府审批。', '同意创建浙江庆元经济开发区。'];

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function http(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
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

async function play() {
  const started = Date.now();
  log(`Submitting ${plan.zoneName} for ${plan.contact.name}…`);
  const submission = await http('POST', `${urls.intake}/zone-plans`, plan);
  log(`  submission ${submission.id} (${submission.county.name}, ${submission.city.name})`);

  for (let step = 0; step < reviewers.length; step += 1) {
    const task = await until(`step ${step + 1} to be assigned`, async () => {
      const { items } = await http('GET', `${urls.workflow}/tasks?submissionId=${submission.id}&status=pending`);
      return items.find((t) => t.step.index === step);
    });
    log(`  ${task.step.name} → ${task.organisation.name}: approved by ${reviewers[step]}`);
    await http('POST', `${urls.workflow}/tasks/${task.id}/decisions`, { outcome: 'approve', reviewer: reviewers[step], opinion: opinions[step] });
  }

  const final = await until('intake to report the plan approved', async () => {
    const view = await http('GET', `${urls.intake}/zone-plans/${submission.id}`);
    return view.status === 'approved' ? view : undefined;
  });
  log();
  log(`Timeline of ${final.zoneName} (status: ${final.status})`);
  for (const entry of final.timeline) {
    const who = entry.actor ? ` — ${entry.actor}` : '';
    const opinion = entry.opinion ? `「${entry.opinion}」` : '';
    log(`  ${entry.at}  ${entry.summary}${who}${opinion}`);
  }

  // Three assignments × (reviewer + applicant), then the approval to the applicant and the stakeholder.
  const expected = reviewers.length * 2 + 1 + plan.stakeholders.length;
  const deliveries = await until(`${expected} deliveries to be sent`, async () => {
    const { items } = await http('GET', `${urls.notifier}/deliveries?submissionId=${submission.id}`);
    return items.length === expected && items.every((d) => d.status === 'sent') ? items : undefined;
  }).catch(async (error) => {
    const { items } = await http('GET', `${urls.notifier}/deliveries?submissionId=${submission.id}`);
    for (const d of items) log(`  ${d.status.padEnd(7)} ${d.recipient}  ${d.subject}  ${d.lastError ?? ''}`);
    throw error;
  });

  log();
  const arrived = await inboxMessageIds(deliveries);
  log(arrived ? `Emails (${deliveries.length}), as received by the mail inbox at ${urls.inbox}:` : `Emails (${deliveries.length}), as sent to SMTP_URL:`);
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
 * to another SMTP server (SMTP_URL set), where the delivery log is the evidence.
 */
async function inboxMessageIds(deliveries) {
  if (process.env.SMTP_URL && !process.env.MAIL_INBOX_URL) return null;
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
