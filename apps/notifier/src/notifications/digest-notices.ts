import type { Contact, MessageByName } from '@shanhai/contracts';
import { noticeTemplates, type Notice, type PlannedNotice } from './notices.js';
import { oneLine, render } from './render.js';

type Digest = MessageByName<'approval.digest'>;

/**
 * The daily digest's emails (每日待办): one to each active account of the organisation (its mailbox
 * when it has none) and to each delegate holding one of its tasks, each once. Every email lists all
 * the organisation's pending tasks, oldest due first, with due dates and overdue marks.
 */
export function planDigest(message: Digest, members: readonly Contact[], delegates: readonly Contact[] = []): PlannedNotice[] {
  const { organisation, date, tasks } = message.payload;
  const view = {
    organisation: { name: organisation.name },
    date,
    count: tasks.length,
    one: tasks.length === 1,
    overdueCount: tasks.filter((t) => t.overdue).length,
    tasks: tasks.map((t, i) => ({ n: i + 1, zonePlan: t.kind === 'zone_plan', title: t.title, county: t.county, stepName: t.stepName, dueOn: t.dueOn ?? null, overdue: t.overdue })),
  };
  const template = 'digest.reviewer' as const;
  const statutory = noticeTemplates[template].statutory;
  const seen = new Set<string>();
  const recipients = [...(members.length ? members : [{ name: organisation.name, email: organisation.email }]), ...delegates].filter((c) => {
    const key = c.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return recipients.map((c) => {
    const to = { name: oneLine(c.name), email: c.email };
    return { template, statutory, to, render: (locale): Notice => ({ template, locale, statutory, to, ...render(template, locale, { ...view, to: c }) }) };
  });
}
