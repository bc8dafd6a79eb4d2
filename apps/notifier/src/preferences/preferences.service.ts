import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Contact } from '@shanhai/contracts';
import { DomainError, RequestValidationError, type FieldProblem, type Principal } from '@shanhai/platform';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { NotifiableMessage } from '../notifications/notices.js';
import { isStatutory, isTemplate } from './notice-policy.js';
import { DEFAULT_LOCALE, NotificationPreference, SubmissionWatcher, type Locale } from './preference.entities.js';
import { accessOf, accessPolicy } from './access-policy.js';
import { audienceOf, type SubmissionAudience } from './submission-audience.js';

export interface Preferences {
  readonly email: string;
  readonly locale: Locale;
  readonly muted: readonly string[];
  readonly watching: readonly { submissionId: string; since: Date }[];
}

/** What plan() needs of the preferences: a submission's watchers and its recipients' settings. */
export interface RecipientSettings {
  readonly locale: Locale;
  readonly muted: ReadonlySet<string>;
}

/** The address the notifier knows a principal by: the email their access token carries, in lower case. */
export function emailOf(principal: Principal): string {
  if (!principal.email) {
    throw new DomainError('VALIDATION_FAILED', 'the access token carries no email: sign in again to get one that does', {
      errors: [{ field: 'authorization', message: 'the access token has no email claim' }],
    });
  }
  return principal.email.trim().toLowerCase();
}

@Injectable()
export class PreferencesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(principal: Principal): Promise<Preferences> {
    const email = emailOf(principal);
    const [row, watching] = await Promise.all([
      this.dataSource.manager.findOneBy(NotificationPreference, { email }),
      this.dataSource.manager.find(SubmissionWatcher, { where: { email }, order: { createdAt: 'ASC' }, take: 1000 }),
    ]);
    return {
      email,
      locale: row?.locale ?? DEFAULT_LOCALE,
      muted: row?.muted ?? [],
      watching: watching.map((w) => ({ submissionId: w.submissionId, since: w.createdAt })),
    };
  }

  /** Replaces the locale and the muted templates; a statutory or unknown template is refused, naming it. */
  async put(principal: Principal, body: { locale: Locale; muted: readonly string[] }): Promise<Preferences> {
    const email = emailOf(principal);
    const problems: FieldProblem[] = body.muted.flatMap((template, i): FieldProblem[] => {
      if (!isTemplate(template)) return [{ field: `muted.${i}`, message: `${template} is not a notice template` }];
      if (isStatutory(template)) return [{ field: `muted.${i}`, message: `${template} is a statutory notice and cannot be muted` }];
      return [];
    });
    if (problems.length) throw new RequestValidationError(problems);
    const muted = [...new Set(body.muted)].sort();
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(NotificationPreference)
      .values({ email, locale: body.locale, muted })
      .orUpdate(['locale', 'muted', 'updated_at'], ['email'])
      .execute();
    return this.get(principal);
  }

  /**
   * Subscribes the principal to the submission's progress, if they may hear of it (`accessPolicy.watch`):
   * otherwise, and when the notifier never heard of the submission, NOT_FOUND, as if it did not
   * exist. Their role and scope are kept with the watch, re-checked at every event.
   */
  async watch(principal: Principal, submissionId: string): Promise<{ submissionId: string; since: Date }> {
    const email = emailOf(principal);
    const access = accessOf(principal, email);
    if (!accessPolicy.watch.allows(access, await this.audienceOf(this.dataSource.manager, submissionId))) {
      throw new DomainError('NOT_FOUND', `no submission ${submissionId}`);
    }
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(SubmissionWatcher)
      .values({ submissionId, email, name: principal.name, role: access.role, county: access.county ?? null, organisation: access.organisation ?? null })
      .orUpdate(['name', 'role', 'county', 'organisation'], ['submission_id', 'email'])
      .execute();
    const row = await this.dataSource.manager.findOneByOrFail(SubmissionWatcher, { submissionId, email });
    return { submissionId, since: row.createdAt };
  }

  /** Idempotent: not watching already is not an error. */
  async unwatch(principal: Principal, submissionId: string): Promise<void> {
    await this.dataSource.manager.delete(SubmissionWatcher, { submissionId, email: emailOf(principal) });
  }

  /**
   * Merges what a workflow event reveals of its submission's audience (county, reviewing
   * organisations, stakeholders) into what earlier events did, in the caller's transaction.
   * Organisations and stakeholders accumulate: a party seen once stays one.
   */
  async recordAudience(manager: EntityManager, message: NotifiableMessage): Promise<void> {
    const a = audienceOf(message);
    await manager.query(
      `INSERT INTO submission_audience (submission_id, county, organisations, stakeholders)
       VALUES ($1, $2, $3::text[], $4::text[])
       ON CONFLICT (submission_id) DO UPDATE SET
         county = EXCLUDED.county,
         organisations = ARRAY(SELECT DISTINCT o FROM unnest(submission_audience.organisations || EXCLUDED.organisations) AS o ORDER BY o),
         stakeholders = ARRAY(SELECT DISTINCT e FROM unnest(submission_audience.stakeholders || EXCLUDED.stakeholders) AS e ORDER BY e),
         updated_at = now()`,
      [a.submissionId, a.county, a.organisations, a.stakeholders],
    );
  }

  /** The submission's audience as recorded so far; undefined when the notifier never heard of it. */
  async audienceOf(manager: EntityManager, submissionId: string): Promise<SubmissionAudience | undefined> {
    const [row] = await manager.query<SubmissionAudience[]>(
      'SELECT county, organisations, stakeholders FROM submission_audience WHERE submission_id = $1',
      [submissionId],
    );
    return row;
  }

  /** The submission's watchers who may still hear of it (`accessPolicy.watch`), oldest first, read in the caller's transaction. */
  async watchersOf(manager: EntityManager, submissionId: string): Promise<Contact[]> {
    const mayHear = accessPolicy.watch.where('w');
    const rows = await manager
      .createQueryBuilder(SubmissionWatcher, 'w')
      .where('w.submissionId = :submissionId', { submissionId })
      .andWhere(mayHear.sql, mayHear.params)
      .orderBy('w.createdAt', 'ASC')
      .getMany();
    return rows.map((w) => ({ name: w.name, email: w.email }));
  }

  /** Each address's settings (defaults for those who never set any), read in the caller's transaction. */
  async settingsOf(manager: EntityManager, emails: readonly string[]): Promise<(email: string) => RecipientSettings> {
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
    const rows = wanted.length ? await manager.findBy(NotificationPreference, { email: In(wanted) }) : [];
    const byEmail = new Map(rows.map((r) => [r.email, { locale: r.locale, muted: new Set(r.muted) }]));
    const fallback: RecipientSettings = { locale: DEFAULT_LOCALE, muted: new Set() };
    return (email) => byEmail.get(email.toLowerCase()) ?? fallback;
  }
}
