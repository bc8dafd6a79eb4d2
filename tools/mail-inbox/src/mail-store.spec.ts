import { describe, expect, it } from '@jest/globals';

import { MailStore } from './mail-store.js';
import type { ReceivedMail } from './received-mail.js';

function mail(id: number, subject = `mail ${id}`): ReceivedMail {
  return {
    id,
    messageId: `<${id}@test>`,
    from: 'sender@test',
    to: ['rcpt@test'],
    subject,
    text: '',
    html: null,
    headers: {},
    receivedAt: new Date(0).toISOString(),
    size: 1,
  };
}

describe(MailStore.name, () => {
  it('drops the oldest mail beyond its capacity', () => {
    const store = new MailStore(3);
    for (let i = 0; i < 5; i++) store.add((id) => mail(id));

    expect(store.list().map((m) => m.id)).toEqual([3, 4, 5]);
  });

  it('keeps counting ids after a clear', () => {
    const store = new MailStore(10);
    store.add((id) => mail(id));
    store.clear();
    store.add((id) => mail(id));

    expect(store.list().map((m) => m.id)).toEqual([2]);
  });

  it('resolves a waiter once a later mail makes the predicate hold', async () => {
    const store = new MailStore(10);
    const waiting = store.waitFor((mails) => mails.some((m) => m.subject === 'wanted'), 1000);
    store.add((id) => mail(id, 'other'));
    store.add((id) => mail(id, 'wanted'));

    await expect(waiting).resolves.toHaveLength(2);
  });

  it('rejects a waiter whose predicate throws', async () => {
    const store = new MailStore(10);

    await expect(
      store.waitFor(() => {
        throw new Error('bad predicate');
      }, 1000),
    ).rejects.toThrow('bad predicate');
  });

  it('lists only the newest mails in a timeout message', async () => {
    const store = new MailStore(100);
    for (let i = 0; i < 25; i++) store.add((id) => mail(id));

    const failure = store.waitFor(() => false, 10);

    await expect(failure).rejects.toThrow(/received 25 mails:\n {2}… 5 older not listed\n {2}#6 to rcpt@test: "mail 6"/);
  });

  it('rejects pending waiters when told to', async () => {
    const store = new MailStore(10);
    const waiting = store.waitFor(() => false, 10_000);
    store.failWaiters(new Error('closed'));

    await expect(waiting).rejects.toThrow('closed');
  });
});
