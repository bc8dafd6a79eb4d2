import { noticeTemplateIds, noticeTemplates, type NoticeTemplate } from '../notifications/notices.js';

/** Whether a template id names a notice the notifier writes. */
export const isTemplate = (id: string): id is NoticeTemplate => Object.hasOwn(noticeTemplates, id);

/** Statutory notices are always sent; an unknown id counts as statutory (never skipped). */
export const isStatutory = (id: string): boolean => !isTemplate(id) || noticeTemplates[id].statutory;

/** The template ids a user may mute, in the table's order. */
export const mutableTemplates = (): NoticeTemplate[] => noticeTemplateIds.filter((id) => !noticeTemplates[id].statutory);

/** The template ids no one may mute, in the table's order. */
export const statutoryTemplates = (): NoticeTemplate[] => noticeTemplateIds.filter((id) => noticeTemplates[id].statutory);
