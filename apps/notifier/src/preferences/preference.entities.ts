import type { Role } from '@shanhai/platform';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { locales, type Locale } from '../notifications/notices.js';

/** The languages a user may choose (the templates' locales); zh-CN until they choose. */
export const LOCALES = locales;
export type { Locale };
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** One user's notice settings, keyed by their email in lower case (the notifier knows people by address only). */
@Entity({ name: 'notification_preferences' })
export class NotificationPreference {
  @PrimaryColumn({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  locale!: Locale;

  /** Non-statutory template ids the user does not want, e.g. `approved.stakeholder`. */
  @Column({ type: 'text', array: true })
  muted!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A user who asked to hear of a submission's progress (non-statutory notices). */
@Entity({ name: 'submission_watchers' })
export class SubmissionWatcher {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' })
  submissionId!: string;

  @PrimaryColumn({ type: 'text' })
  email!: string;

  /** How the watcher is addressed in the email: the principal's name when they subscribed. */
  @Column({ type: 'text' })
  name!: string;

  /**
   * The principal's role and scope when they subscribed, against which each event re-checks that
   * they may still hear of the submission (see `accessPolicy.watch`). Null on rows from before the check:
   * such a watcher's access was never established and they are not notified.
   */
  @Column({ type: 'text', nullable: true })
  role!: Role | null;

  @Column({ type: 'text', nullable: true })
  county!: string | null;

  @Column({ type: 'text', nullable: true })
  organisation!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
