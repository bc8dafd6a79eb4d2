import { startNotifier } from './support/notifier-app.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { DEFAULT_DELIVERY, type DeliverySettings, type NotifierConfig } from '../src/config.js';
import type { Delivery } from '../src/deliveries/delivery.entity.js';
import { Mailer } from '../src/deliveries/mailer.js';
import { anAddress, planDelivery, rowOf } from './delivery-fixtures.js';
import { closedPort, startTestSmtpServer, type TestSmtpServer } from './delivery-smtp-server.js';

const COOLDOWN_MS = 3000;
const delivery: DeliverySettings = { maxAttempts: 3, retryBaseMs: 100, retryMaxMs: 1000, ratePerSecond: 50, breakerThreshold: 2, breakerCooldownMs: COOLDOWN_MS, claimLeaseSeconds: 120, concurrency: DEFAULT_DELIVERY.concurrency };

describe('notifier: fallback SMTP transports behind circuit breakers', () => {
  let firstPort: number;
  let first: TestSmtpServer | undefined;
  let second: TestSmtpServer;
  let t: TestApp<NotifierConfig>;
  let http: ReturnType<typeof request>;
  let firstUrl: string;

  beforeAll(async () => {
    // The first transport refuses connections until a spec starts a server on its port.
    firstPort = await closedPort();
    firstUrl = `smtp://127.0.0.1:${firstPort}`;
    second = await startTestSmtpServer();
    t = await startNotifier({ smtpUrl: firstUrl, smtpUrls: [firstUrl, second.url], delivery });
    http = request(t.app.getHttpServer());
  });

  afterAll(async () => {
    await t.close();
    await first?.close();
    await second.close();
  });

  const settled = (id: string, status: Delivery['status']) => eventually(() => rowOf(t, id), (row) => row?.status === status, 15_000);
  const circuit = (transport: string) => t.app.get(Mailer).circuits().find((c) => c.transport === transport);
  const metric = async (line: RegExp) => ((await http.get('/metrics').expect(200)).text.split('\n').find((l) => line.test(l)) ?? '').split(' ').pop();

  it('sends through the second transport while the first refuses connections, and opens the first one\'s circuit', async () => {
    const sent: { id: string; messageId: string }[] = [];
    for (const label of ['a', 'b', 'c']) {
      const planned = await planDelivery(t, anAddress(`fallback-${label}`));
      expect(await settled(planned.id, 'sent')).toMatchObject({ transport: second.url, attempts: 1 });
      sent.push(planned);
    }
    expect(sent.map((p) => second.countOf(p.messageId))).toEqual([1, 1, 1]);
    // Two refused connections opened it; the third mail skipped the first transport altogether.
    expect(circuit(firstUrl)).toEqual({ transport: firstUrl, state: 'open', failures: 2 });
    expect(circuit(second.url)).toMatchObject({ state: 'closed', failures: 0 });
    const at = (transport: string, state: string) => new RegExp(`^shanhai_smtp_circuit_state\\{.*transport="${transport}".*state="${state}"`);
    expect(await metric(at(firstUrl, 'open'))).toBe('1');
    expect(await metric(at(firstUrl, 'closed'))).toBe('0');
    expect(await metric(at(second.url, 'closed'))).toBe('1');
  });

  it('closes the circuit when the trial send after the cooldown goes through', async () => {
    first = await startTestSmtpServer(firstPort);
    // Let the cooldown run out (no assertion on time: the trial decides).
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 200));
    const planned = await planDelivery(t, anAddress('trial'));
    expect(await settled(planned.id, 'sent')).toMatchObject({ transport: firstUrl });
    expect(first.countOf(planned.messageId)).toBe(1);
    expect(second.countOf(planned.messageId)).toBe(0);
    expect(circuit(firstUrl)).toEqual({ transport: firstUrl, state: 'closed', failures: 0 });
  });

  it('takes a 5xx from a transport as the recipient\'s answer: dead, not tried on the next transport, the circuit untouched', async () => {
    const to = anAddress('refused-everywhere');
    first!.always(to, { code: 550, message: '5.1.1 User unknown' });
    const planned = await planDelivery(t, to);
    const row = await settled(planned.id, 'dead');
    expect(row).toMatchObject({ transport: firstUrl, attempts: 1 });
    expect(row?.deadReason).toMatch(/^550 /);
    expect(second.rcptCount(to)).toBe(0);
    expect(circuit(firstUrl)).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('retries a 4xx on the same transport rather than the next one', async () => {
    const to = anAddress('greylisted');
    first!.script(to, { code: 450, message: '4.2.0 Greylisted, try again' }, 'accept');
    const planned = await planDelivery(t, to);
    expect(await settled(planned.id, 'sent')).toMatchObject({ transport: firstUrl, attempts: 2 });
    expect([first!.rcptCount(to), second.rcptCount(to)]).toEqual([2, 0]);
    expect(first!.countOf(planned.messageId)).toBe(1);
    expect(circuit(firstUrl)).toMatchObject({ state: 'closed', failures: 0 });
  });
});

describe('notifier: a send that finds every circuit open', () => {
  let port: number;
  let server: TestSmtpServer | undefined;
  let t: TestApp<NotifierConfig>;

  beforeAll(async () => {
    port = await closedPort();
    // One transport, down; one failure opens its circuit.
    t = await startNotifier({ smtpUrl: `smtp://127.0.0.1:${port}`, delivery: { ...delivery, breakerThreshold: 1, maxAttempts: 3 } });
  });

  afterAll(async () => {
    await t.close();
    await server?.close();
  });

  it('waits for the circuit to half-open without spending an attempt, then sends once', async () => {
    const planned = await planDelivery(t, anAddress('open-circuit'));
    // Attempt 1 reaches the closed port and opens the circuit; the retries meanwhile find it open.
    await eventually(() => rowOf(t, planned.id), (row) => row?.status === 'failed' && (row.lastError ?? '').includes('circuit is open'), 10_000);
    expect((await rowOf(t, planned.id))?.attempts).toBe(1);
    server = await startTestSmtpServer(port);
    const sent = await eventually(() => rowOf(t, planned.id), (row) => row?.status === 'sent' || row?.status === 'dead', 20_000);
    // Without the wait, attempts 2 and 3 would have gone on open circuits and the email would be dead.
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    expect(server.countOf(planned.messageId)).toBe(1);
  });
});
