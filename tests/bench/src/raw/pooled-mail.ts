import nodemailer from 'nodemailer';
import type { MailSink } from '../mail-sink.js';
import { ProgressBar } from '../progress-bar.js';
import { perSecond } from '../stats.js';

export interface PooledMailResult {
  readonly messages: number;
  readonly poolConnections: number;
  readonly seconds: number;
  readonly emailsPerSecond: number | null;
}

/** As each of the notifier's transports: one connection per concurrent delivery (NOTIFIER_DELIVERY_CONCURRENCY, default 10). */
const POOL_CONNECTIONS = 10;

/**
 * `messages` emails of a notification's size through one pooled nodemailer transport to the sink,
 * all handed to the pool at once; the clock runs from the first send to the last arrival.
 */
export async function runPooledMail(sink: MailSink, messages: number): Promise<PooledMailResult> {
  const transport = nodemailer.createTransport({ pool: true, url: sink.smtpUrl, maxConnections: POOL_CONNECTIONS });
  const progress = new ProgressBar('raw SMTP (pooled nodemailer)', messages, 'emails');
  const body = '庆元县人民政府：\n\n浙江庆元经济开发区创建方案已进入省商务厅审核（第 2 步，共 5 步）。\n\n'.repeat(6);
  let received = 0;
  let last = 0;
  sink.consume((mail) => {
    if (!mail.subject.includes('RAW-')) return;
    received += 1;
    last = Math.max(last, mail.receivedAt);
    progress.update(received);
  });
  try {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: messages }, (_, i) =>
        transport.sendMail({
          from: '山海审批通知 <noreply@shanhai.example>',
          to: `raw-${i}@bench.shanhai.example`,
          subject: `【进度】基准邮件 RAW-${i}`,
          text: body,
          html: `<p>${body.replaceAll('\n', '<br>')}</p>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        }),
      ),
    );
    await sink.until(
      () => received >= messages,
      60_000,
      () => `${messages} raw mails (${received} arrived)`,
    );
    const ms = last - started;
    progress.finish();
    return { messages, poolConnections: POOL_CONNECTIONS, seconds: ms / 1000, emailsPerSecond: perSecond(messages, ms) };
  } finally {
    sink.consume(null);
    transport.close();
  }
}
