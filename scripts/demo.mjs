#!/usr/bin/env node
// `npm run demo`: plays Qingyuan county's zone creation plan (庆元) through 初审 → 审核 → 审批
// against the running services — or starts them with `npm start` first — then prints the
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
/** The chain's reviewers, as seeded by `npm start` (`npm run seed -- --demo`). */
const reviewers = ['lishui-commerce', 'zj-commerce', 'zj-gov'];
const opinions = ['同意上报。', '经审核，符合创建条件，同意报省政府审批。', '同意创建浙江庆元经济开发区。'];
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
  // The plan is intake's documented example: what a client starting from /docs would send.
  const docs = await http('GET', `${urls.intake}/docs-json`);
  const content = docs.paths['/zone-plans'].post.requestBody.content['application/json'];
  const plan = content.example ?? Object.values(content.examples)[0].value;

  log(`庆元县人民政府 (qingyuan) drafts ${plan.zoneName}…`);
  const draft = await http('POST', `${urls.intake}/zone-plans`, plan, applicant);
  log(`  draft ${draft.id}: ${draft.county.name}, ${draft.city.name}, ${draft.blocks.length} blocks, ${draft.totalAreaKm2} km²`);
  for (const [i, kind] of attachmentKinds.entries()) {
    const form = new FormData();
    form.set('kind', kind);
    form.set('file', pdf(kind), `${attachmentNames[i]}.pdf`);
    const attachment = await http('POST', `${urls.intake}/zone-plans/${draft.id}/attachments`, form, applicant);
    log(`  attached ${attachmentNames[i]}.pdf (${attachment.mediaType}, sha256 ${attachment.sha256.slice(0, 12)}…)`);
  }
  const submission = await http('POST', `${urls.intake}/zone-plans/${draft.id}/submit`, undefined, applicant);
  log(`  submitted as revision ${submission.revision}`);

  for (let step = 0; step < reviewers.length; step += 1) {
    const token = await login(reviewers[step]);
    const task = await until(`step ${step + 1} to be assigned`, async () => {
      const { items } = await http('GET', `${urls.workflow}/tasks?submissionId=${submission.id}&status=pending`, undefined, token);
      return items.find((t) => t.step.index === step);
    });
    await http('POST', `${urls.workflow}/tasks/${task.id}/decisions`, { outcome: 'approve', opinion: opinions[step] }, token);
    log(`  ${task.step.name} → ${task.organisation.name}: approved by ${reviewers[step]}`);
  }

  const final = await until('intake to report the plan approved', async () => {
    const view = await http('GET', `${urls.intake}/zone-plans/${submission.id}`, undefined, applicant);
    return view.status === 'approved' ? view : undefined;
  });
  const timeline = await http('GET', `${urls.intake}/zone-plans/${submission.id}/timeline`, undefined, applicant);
  log();
  log(`Timeline of ${final.zoneName} (status: ${final.status})`);
  for (const entry of timeline.items) {
    const who = entry.actor ? ` — ${entry.actor}` : '';
    const opinion = entry.opinion ? `「${entry.opinion}」` : '';
    log(`  ${entry.at}  ${entry.summary}${who}${opinion}`);
  }

  // Three assignments × (reviewer + applicant), then the approval to the applicant and the paired zone.
  const admin = await login('admin');
  const expected = reviewers.length * 2 + 2;
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
