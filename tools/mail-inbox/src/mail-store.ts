import type { ReceivedMail } from './received-mail.js';

/** How many mails a `waitFor` timeout message lists. */
const MAX_LISTED = 20;

export type MailPredicate = (mails: ReceivedMail[]) => boolean;

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/**
 * Received mail in arrival order, bounded so a long local run cannot grow without limit,
 * plus the waiters of `waitFor`, re-checked on every arrival.
 */
export class MailStore {
  private mails: ReceivedMail[] = [];
  private nextId = 1;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly capacity: number) {}

  add(build: (id: number) => ReceivedMail): ReceivedMail {
    const mail = build(this.nextId++);
    this.mails.push(mail);
    if (this.mails.length > this.capacity) this.mails.splice(0, this.mails.length - this.capacity);
    for (const waiter of [...this.waiters]) waiter.check();
    return mail;
  }

  /** A copy, so callers cannot disturb the store or see it change under them. */
  list(): ReceivedMail[] {
    return [...this.mails];
  }

  get(id: number): ReceivedMail | undefined {
    return this.mails.find((mail) => mail.id === id);
  }

  /** Ids keep counting after a clear, so an id never names two different mails. */
  clear(): void {
    this.mails = [];
  }

  waitFor(predicate: MailPredicate, timeoutMs: number): Promise<ReceivedMail[]> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let matched: boolean;
          const mails = this.list();
          try {
            matched = predicate(mails);
          } catch (error) {
            return settle(() => reject(error instanceof Error ? error : new Error(String(error))));
          }
          if (matched) settle(() => resolve(mails));
        },
        fail: (error) => settle(() => reject(error)),
      };
      const timer = setTimeout(
        () => settle(() => reject(new Error(this.timeoutMessage(timeoutMs)))),
        timeoutMs,
      );
      const settle = (finish: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        finish();
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /** Rejects every pending `waitFor`, so a test does not hang on a closed inbox. */
  failWaiters(error: Error): void {
    for (const waiter of [...this.waiters]) waiter.fail(error);
  }

  private timeoutMessage(timeoutMs: number): string {
    const head = `mail inbox: no mail matched within ${timeoutMs} ms; received ${this.mails.length}`;
    if (!this.mails.length) return `${head} mails`;
    // The newest ones are what a failing test is usually about; thousands of lines help nobody.
    const shown = this.mails.slice(-MAX_LISTED);
    const lines = shown.map((mail) => `  #${mail.id} to ${mail.to.join(', ')}: ${JSON.stringify(mail.subject)}`);
    const omitted = this.mails.length - shown.length;
    return [`${head} mails:`, ...(omitted ? [`  … ${omitted} older not listed`] : []), ...lines].join('\n');
  }
}
