export { startMailInbox, type MailInbox, type MailInboxOptions } from './mail-inbox.js';
export type { MailPredicate } from './mail-store.js';
export type { ReceivedMail } from './received-mail.js';
export { escapeHtml } from './inbox-page.js';
