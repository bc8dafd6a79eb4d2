import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nodemailer from 'nodemailer';

import { startMailInbox, type MailInbox } from '../src/index.js';

const CHINESE_SUBJECT = '【待审】浙江庆元经济开发区创建方案';

describe('startMailInbox', () => {
  let inbox: MailInbox;
  let transport: ReturnType<typeof nodemailer.createTransport>;

  beforeAll(async () => {
    inbox = await startMailInbox({ smtpPort: 0, httpPort: 0 });
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: inbox.smtpPort, secure: false });
  });

  afterAll(async () => {
    transport.close();
    await inbox.close();
  });

  beforeEach(() => inbox.clear());

  function send(to: string | string[], subject: string, text = '请于三日内完成审核。'): Promise<unknown> {
    return transport.sendMail({ from: '"山海平台" <noreply@shanhai.test>', to, subject, text });
  }

  async function get(path: string, init?: RequestInit): Promise<Response> {
    return fetch(`${inbox.url}${path}`, init);
  }

  it('receives a mail with a Chinese subject, decoded, with its envelope recipients', async () => {
    await send(['reviewer@qingyuan.test', 'Lead@Lishui.test'], CHINESE_SUBJECT);

    const [mail] = await inbox.waitFor((mails) => mails.length === 1);

    expect(mail).toMatchObject({
      id: expect.any(Number),
      subject: CHINESE_SUBJECT,
      // The domain part arrives lowercased; the local part as sent.
      to: ['reviewer@qingyuan.test', 'Lead@lishui.test'],
      from: '"山海平台" <noreply@shanhai.test>',
      text: '请于三日内完成审核。',
      html: null,
    });
    expect(mail?.messageId).toMatch(/^<.+@.+>$/);
    expect(mail?.headers['subject']).toBe(CHINESE_SUBJECT);
    expect(mail?.size).toBeGreaterThan(0);
    expect(new Date(mail?.receivedAt ?? '').toString()).not.toBe('Invalid Date');
  });

  it('lists mails on the page, Chinese intact and every value HTML-escaped', async () => {
    await send('a@shanhai.test', CHINESE_SUBJECT);
    await send('b@shanhai.test', '<b>不要加粗</b> & more', 'body with <script>alert(1)</script>');
    await inbox.waitFor((mails) => mails.length === 2);

    const res = await get('/');
    const page = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<title>Shanhai mail inbox</title>');
    expect(page).toContain(CHINESE_SUBJECT);
    expect(page).toContain('&lt;b&gt;不要加粗&lt;/b&gt; &amp; more');
    expect(page).not.toContain('<b>不要加粗');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    // Newest first.
    expect(page.indexOf('不要加粗')).toBeLessThan(page.indexOf(CHINESE_SUBJECT));
  });

  it('filters /api/messages by envelope recipient, case-insensitively', async () => {
    await send('first@shanhai.test', 'one');
    await send(['second@shanhai.test', 'third@shanhai.test'], 'two');
    await inbox.waitFor((mails) => mails.length === 2);

    const all = (await (await get('/api/messages')).json()) as Array<{ subject: string }>;
    const second = (await (await get('/api/messages?to=SECOND@shanhai.test')).json()) as Array<{ subject: string }>;
    const nobody = (await (await get('/api/messages?to=nobody@shanhai.test')).json()) as unknown[];

    expect(all.map((mail) => mail.subject)).toEqual(['one', 'two']);
    expect(second.map((mail) => mail.subject)).toEqual(['two']);
    expect(nobody).toEqual([]);
  });

  it('serves one mail by id and 404 for an unknown id', async () => {
    await send('one@shanhai.test', CHINESE_SUBJECT);
    const [mail] = await inbox.waitFor((mails) => mails.length === 1);

    const found = await get(`/api/messages/${mail?.id}`);
    const missing = await get('/api/messages/999999');

    expect(found.status).toBe(200);
    await expect(found.json()).resolves.toMatchObject({ id: mail?.id, subject: CHINESE_SUBJECT });
    expect(missing.status).toBe(404);
  });

  it('clears every mail on DELETE /api/messages', async () => {
    await send('gone@shanhai.test', 'to be cleared');
    await inbox.waitFor((mails) => mails.length === 1);

    const res = await get('/api/messages', { method: 'DELETE' });

    expect(res.status).toBe(204);
    expect(inbox.messages()).toEqual([]);
    await expect((await get('/api/messages')).json()).resolves.toEqual([]);
  });

  it('answers /health', async () => {
    const res = await get('/health');

    expect(res.status).toBe(200);
  });

  it('rejects waitFor after the timeout, listing what was received', async () => {
    await send('someone@shanhai.test', CHINESE_SUBJECT);
    await inbox.waitFor((mails) => mails.length === 1);

    await expect(inbox.waitFor((mails) => mails.length === 2, 200)).rejects.toThrow(
      /no mail matched within 200 ms; received 1 mails:\n {2}#\d+ to someone@shanhai\.test: "【待审】浙江庆元经济开发区创建方案"/,
    );
  });
});

describe('startMailInbox without a web page', () => {
  it('has no HTTP port or URL when httpPort is null', async () => {
    const inbox = await startMailInbox({ httpPort: null });
    try {
      expect(inbox.httpPort).toBeNull();
      expect(inbox.url).toBeNull();
      expect(inbox.smtpPort).toBeGreaterThan(0);
    } finally {
      await inbox.close();
    }
  });

  it('fails to start when the HTTP port is taken, leaving its SMTP port free', async () => {
    const first = await startMailInbox({ smtpPort: 0, httpPort: 0 });
    const probe = await startMailInbox({ smtpPort: 0, httpPort: null });
    const smtpPort = probe.smtpPort;
    await probe.close();
    try {
      await expect(startMailInbox({ smtpPort, httpPort: first.httpPort })).rejects.toThrow(/EADDRINUSE/);
      const again = await startMailInbox({ smtpPort, httpPort: null });
      await again.close();
      expect(again.smtpPort).toBe(smtpPort);
    } finally {
      await first.close();
    }
  });
});
