import { startMailInbox, type MailInbox } from '@shanhai/mail-inbox';

/** One email as the sink received it; `receivedAt` in epoch ms, as the inbox stamped it on arrival. */
export interface SinkMail {
  readonly subject: string;
  readonly to: readonly string[];
  readonly receivedAt: number;
}

/**
 * The SMTP sink of the whole run: the built-in mail inbox (no web page), drained every 25 ms so
 * that its bounded store never drops any. Each phase names who consumes what arrives.
 */
export class MailSink {
  private consumer: ((mail: SinkMail) => void) | null = null;
  /** Mails that arrived when no phase was listening. */
  strays = 0;

  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly inbox: MailInbox) {
    this.timer = setInterval(() => this.drain(), 25);
  }

  static async start(): Promise<MailSink> {
    return new MailSink(await startMailInbox({ httpPort: null }));
  }

  get smtpUrl(): string {
    return this.inbox.smtpUrl;
  }

  /** What arrives from now on goes to `consumer` (null: nobody; counted as strays). */
  consume(consumer: ((mail: SinkMail) => void) | null): void {
    this.drain();
    this.consumer = consumer;
  }

  /** Hands every mail received so far to the consumer; how many there were. */
  drain(): number {
    // messages() and clear() run in one turn of the event loop: nothing arrives in between.
    const mails = this.inbox.messages();
    this.inbox.clear();
    for (const m of mails) {
      const mail = { subject: m.subject, to: m.to, receivedAt: Date.parse(m.receivedAt) };
      if (this.consumer) this.consumer(mail);
      else this.strays += 1;
    }
    return mails.length;
  }

  /** Resolves once `done()` holds (checked every 25 ms, after a drain); rejects with `what` after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.drain();
      if (done()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return this.inbox.close();
  }
}
