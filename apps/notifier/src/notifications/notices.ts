import type { Contact, MessageByName, StepRef } from '@shanhai/contracts';
import { assertTemplates, defaultLocale, oneLine, render, type Locale } from './render.js';

export { locales, type Locale } from './render.js';

/** The workflow events that someone must be told about (the notifier queue's routes). */
export const notifiedEvents = [
  'approval.task_assigned',
  'approval.approved',
  'approval.rejected',
  'approval.withdrawn',
  'approval.returned',
  'approval.delegated',
  'approval.deadline_extended',
  'approval.reminder',
  'approval.escalated',
  'approval.urged',
] as const;
export type NotifiableMessage = MessageByName<(typeof notifiedEvents)[number]>;

/**
 * Every email the notifier writes, as `<event>.<recipient>`, and whether it is statutory: a
 * statutory notice can never be muted (preferences ignore it), because the procedure depends on it
 * reaching its recipient — a decision, a correction notice, an assignment that starts a step's
 * time limit, a withdrawal that ends a reviewer's duty. The others keep someone informed and may
 * be muted. The delivery log and the preferences read this table; every id has subject, text and
 * HTML templates in every locale under `templates/` (checked when this module loads).
 */
export const noticeTemplates = {
  'task_assigned.reviewer': { statutory: true },
  'task_assigned.applicant': { statutory: false },
  'task_assigned.watcher': { statutory: false },
  'approved.applicant': { statutory: true },
  'approved.stakeholder': { statutory: true },
  'approved.watcher': { statutory: false },
  'rejected.applicant': { statutory: true },
  'rejected.stakeholder': { statutory: true },
  'rejected.watcher': { statutory: false },
  'withdrawn.reviewer': { statutory: true },
  // The applicant's own act, confirmed: a progress notice like task_assigned.applicant.
  'withdrawn.applicant': { statutory: false },
  'withdrawn.watcher': { statutory: false },
  'returned.applicant': { statutory: true },
  'returned.watcher': { statutory: false },
  'delegated.reviewer': { statutory: false },
  'delegated.watcher': { statutory: false },
  // 延期: the applicant is told that the step's time limit moved, and why.
  'deadline_extended.applicant': { statutory: true },
  'deadline_extended.watcher': { statutory: false },
  // The timers (ADR 0015): a step's time limit near, due, or passed (督办). They keep the procedure's
  // limit, so they are not muted: the reminder is the one the reviewers get before being late.
  'reminder.reviewer': { statutory: true },
  'escalated.supervisor': { statutory: true },
  'escalated.reviewer': { statutory: true },
  // 催办: the applicant's urge reaches the step's reviewers whatever they muted (once a working day at most).
  'urged.reviewer': { statutory: true },
  // 每日待办: a convenience on top of the statutory assignment notices, so a reviewer may mute it.
  'digest.reviewer': { statutory: false },
} as const satisfies Record<string, { readonly statutory: boolean }>;
export type NoticeTemplate = keyof typeof noticeTemplates;
/** The ids of `noticeTemplates`, in its order (e.g. an OpenAPI enum). */
export const noticeTemplateIds = Object.keys(noticeTemplates) as NoticeTemplate[];

assertTemplates(noticeTemplateIds);

/** One email to write: who gets it, under which template and locale, with what content. */
export interface Notice {
  readonly template: NoticeTemplate;
  readonly locale: Locale;
  /** From `noticeTemplates`: true when the recipient cannot mute it. */
  readonly statutory: boolean;
  /** The recipient; the name is one line (it goes into the To header). */
  readonly to: Contact;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A notice decided but not yet written: who gets it under which template, rendered in a locale on demand. */
export interface PlannedNotice {
  readonly template: NoticeTemplate;
  readonly statutory: boolean;
  readonly to: Contact;
  render(locale: Locale): Notice;
}

export interface NoticeOptions {
  /** People who subscribed to the submission: each gets a short `<event>.watcher` notice. */
  readonly watchers?: readonly Contact[];
  /**
   * The active accounts of a reviewing organisation (the notifier's directory replica): a step's
   * notices go to each of them; to the organisation's mailbox when it has none.
   */
  readonly membersOf?: (organisationCode: string) => readonly Contact[];
  /** The active accounts of an organisation marked supervisor: told of its escalated steps (督办). */
  readonly supervisorsOf?: (organisationCode: string) => readonly Contact[];
  /** An account by user id (a delegate), when the replica holds it. */
  readonly accountOf?: (userId: string) => Contact | undefined;
  /** The language a recipient reads (zh-CN when not given). */
  readonly localeOf?: (email: string) => Locale;
}

/**
 * Who is told what, in each recipient's locale:
 *
 * - the applicant (the submission's contact): each step entered (once, not per countersigning
 *   party nor on an admin's reassignment), the decision, a correction notice, a withdrawal, an
 *   extension of a step's time limit (延期);
 * - the step's assignees (each active account of the reviewing organisation, or its mailbox when
 *   it has none; per party): an assignment, a withdrawal of their step, a delegation within their
 *   organisation, which the delegate is told of too; the applicant's urge (催办) of their step;
 * - stakeholders, `submission.stakeholders`: the paired advanced zone and the city (its commerce
 *   bureau), as intake names them from its directory at submission: the decision only;
 * - watchers (`options.watchers`): a short notice of every event, told of a step entered as the
 *   applicant is (once per step), and never a second email to someone already told of the event.
 */
export function noticesFor(message: NotifiableMessage, options: NoticeOptions = {}): Notice[] {
  return planNotices(message, options).map((n) => n.render(options.localeOf?.(n.to.email) ?? defaultLocale));
}

/**
 * The notices of `message` (see `noticesFor`), decided but not rendered: a caller that must look
 * up the recipients first (their language, what they muted) renders only those it sends, once.
 */
export function planNotices(message: NotifiableMessage, options: Omit<NoticeOptions, 'localeOf'> = {}): PlannedNotice[] {
  const p = message.payload;
  const base = {
    zonePlan: p.submission.kind === 'zone_plan',
    title: p.submission.title,
    county: p.submission.county.name,
    city: p.submission.city.name,
    revision: p.submission.revision,
    // A later revision was corrected after a return (补正): the step may be one it re-entered.
    corrected: p.submission.revision > 1,
    applicant: p.submission.applicant,
  };
  const notice = (template: NoticeTemplate, to: Contact, view: Record<string, unknown>): PlannedNotice => {
    const statutory = noticeTemplates[template].statutory;
    // The name goes into the To header: one line there, as typed (folded) in the greeting.
    const recipient = { name: oneLine(to.name), email: to.email };
    return { template, statutory, to: recipient, render: (locale) => ({ template, locale, statutory, to: recipient, ...render(template, locale, { ...base, ...view, to }) }) };
  };
  const applicant = p.submission.applicant;
  const stakeholders = p.submission.stakeholders;
  /** One notice per person the step's organisation has (or its mailbox). */
  const toReviewers = (template: NoticeTemplate, step: StepRef, view: Record<string, unknown>, also: readonly Contact[] = []): PlannedNotice[] => {
    const members = options.membersOf?.(step.organisation.code) ?? [];
    return distinct([...(members.length ? members : [reviewer(step)]), ...also]).map((to) => notice(template, to, view));
  };

  const [told, watched]: [PlannedNotice[], ((to: Contact) => PlannedNotice) | undefined] = (() => {
    switch (message.name) {
      case 'approval.task_assigned': {
        const { step, stepCount, parties } = message.payload;
        const view = { step: stepView(step), stepCount, parties: parties && parties.length > 1 ? parties.map((o) => o.name) : null };
        // Once per step entered: not for each countersigning party, nor when an admin moves a task.
        const entered = (message.payload.party ?? 0) === 0 && !message.payload.reassigned;
        return [
          [...toReviewers('task_assigned.reviewer', step, view), ...(entered ? [notice('task_assigned.applicant', applicant, view)] : [])],
          entered ? (to: Contact) => notice('task_assigned.watcher', to, view) : undefined,
        ];
      }
      case 'approval.approved': {
        const view = { step: stepView(message.payload.step) };
        return [
          [notice('approved.applicant', applicant, view), ...stakeholders.map((s) => notice('approved.stakeholder', s, view))],
          (to: Contact) => notice('approved.watcher', to, view),
        ];
      }
      case 'approval.rejected': {
        const view = { step: stepView(message.payload.step), reason: message.payload.reason };
        return [
          [notice('rejected.applicant', applicant, view), ...stakeholders.map((s) => notice('rejected.stakeholder', s, view))],
          (to: Contact) => notice('rejected.watcher', to, view),
        ];
      }
      case 'approval.withdrawn': {
        const { steps, reason } = message.payload;
        return [
          [
            // The organisations whose step was pending need not act any more.
            ...steps.flatMap(({ step }) => toReviewers('withdrawn.reviewer', step, { step: stepView(step), reason: reason || null })),
            notice('withdrawn.applicant', applicant, { reason: reason || null }),
          ],
          (to: Contact) => notice('withdrawn.watcher', to, {}),
        ];
      }
      case 'approval.returned': {
        // A correction notice (补正) is the applicant's business: stakeholders hear of the outcome
        // only, watchers that it was returned, without the deficiencies.
        const { step, deficiencies, opinion, decidedBy, actingFor } = message.payload;
        const view = {
          step: stepView(step),
          // Named as the reader reads them ('司前区块 北至'); a notice from before labels shows the path.
          deficiencies: deficiencies.map((d, i) => ({ n: i + 1, field: d.target === 'field', ref: d.ref, zh: d.label?.zh ?? d.ref, en: d.label?.en ?? d.ref, note: d.note })),
          oneDeficiency: deficiencies.length === 1,
          opinion: opinion || null,
          decidedBy,
          actingFor: actingFor ?? null,
        };
        return [[notice('returned.applicant', applicant, view)], (to: Contact) => notice('returned.watcher', to, view)];
      }
      case 'approval.delegated': {
        const { step, delegatedBy, delegate, reason } = message.payload;
        const view = { step: stepView(step), delegatedBy, delegate: { name: delegate.name }, reason: reason || null };
        // The delegate is told too: the task is now theirs to decide.
        const delegateContact = options.accountOf?.(delegate.userId);
        return [toReviewers('delegated.reviewer', step, view, delegateContact ? [delegateContact] : []), (to: Contact) => notice('delegated.watcher', to, view)];
      }
      case 'approval.reminder': {
        // Each pending party's organisation; watchers and the applicant are not told of a reminder.
        const { steps, dueOn, daysLeft, kind } = message.payload;
        return [steps.flatMap(({ step }) => toReviewers('reminder.reviewer', step, { step: stepView(step), dueOn, daysLeft, due: kind === 'due' })), undefined];
      }
      case 'approval.escalated': {
        // The target (the organisation's supervisors, or another organisation's people; its mailbox
        // when it has none of them) and the original assignees, each once.
        const { steps, dueOn, escalatedTo, supervisors } = message.payload;
        const first = steps[0]!.step;
        const target = (supervisors ? options.supervisorsOf : options.membersOf)?.(escalatedTo.code) ?? [];
        const told = distinct(target.length ? target : [{ name: escalatedTo.name, email: escalatedTo.email }]).map((to) => notice('escalated.supervisor', to, { step: stepView(first), dueOn }));
        const seen = new Set(told.map((n) => n.to.email.toLowerCase()));
        const reviewers = steps.flatMap(({ step }) => toReviewers('escalated.reviewer', step, { step: stepView(step), dueOn, target: { name: escalatedTo.name } }));
        return [[...told, ...reviewers.filter((n) => !seen.has(n.to.email.toLowerCase()))], undefined];
      }
      case 'approval.deadline_extended': {
        const { step, days, reason, dueOn, extendedBy } = message.payload;
        const view = { step: stepView(step), days, oneDay: days === 1, reason, dueOn: dueOn ?? null, extendedBy };
        return [[notice('deadline_extended.applicant', applicant, view)], (to: Contact) => notice('deadline_extended.watcher', to, view)];
      }
      case 'approval.urged': {
        // The pending tasks' assignees only (each party's organisation, and a delegate): watchers are not told of urges.
        const { steps, note, urgedBy } = message.payload;
        const told = steps.flatMap(({ step, dueOn, assignee }) => {
          const delegate = assignee ? options.accountOf?.(assignee) : undefined;
          return toReviewers('urged.reviewer', step, { step: stepView(step), dueOn: dueOn ?? null, note: note ?? null, urgedBy }, delegate ? [delegate] : []);
        });
        return [told, undefined];
      }
    }
  })();

  if (!watched) return told;
  const seen = new Set(told.map((n) => n.to.email.toLowerCase()));
  const watchers = (options.watchers ?? []).filter((w) => {
    const email = w.email.toLowerCase();
    if (seen.has(email)) return false;
    seen.add(email);
    return true;
  });
  return [...told, ...watchers.map(watched)];
}

/** Each address once (case aside), the first name given for it kept. */
function distinct(contacts: readonly Contact[]): Contact[] {
  const seen = new Set<string>();
  return contacts.filter((c) => {
    const key = c.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A step's reviewing organisation as a mail recipient. */
const reviewer = (step: StepRef): Contact => ({ name: step.organisation.name, email: step.organisation.email });

/** What templates show of a step: its name, its 1-based position, and its organisation. */
const stepView = (step: StepRef) => ({ name: step.name, number: step.index + 1, organisation: { name: step.organisation.name } });
