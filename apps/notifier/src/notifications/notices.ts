import type { Contact, MessageByName } from '@shanhai/contracts';

/** The workflow events that someone must be told about. */
export type NotifiableMessage = MessageByName<'approval.task_assigned' | 'approval.approved' | 'approval.rejected' | 'approval.withdrawn'>;

/** One email to write: who gets it, under which template, with what content. */
export interface Notice {
  readonly template: string;
  readonly to: Contact;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Who is told what, in zh-CN. The notifier issue moves the wording into template files
 * (per locale, with snapshot tests) and adds preferences and watchers.
 */
export function noticesFor(message: NotifiableMessage): Notice[] {
  const p = message.payload;
  // A zone plan is named after its zone (…开发区创建方案); an event's title names it already.
  const plan = p.submission.kind === 'zone_plan' ? `${p.submission.title}创建方案` : `${p.submission.title}申请`;
  const applicant = p.submission.applicant;
  switch (message.name) {
    case 'approval.task_assigned': {
      const { step, stepCount } = message.payload;
      const progress = `第 ${step.index + 1}/${stepCount} 步`;
      return [
        notice('task_assigned.reviewer', { name: step.organisation.name, email: step.organisation.email }, `【待审】${plan}（${step.name}）`, [
          `${step.organisation.name}：`,
          `${p.submission.county.name}人民政府提交的《${plan}》已进入${step.name}（${progress}），请登录山海审批系统办理。`,
          `申请单位联系人：${applicant.name}（${applicant.email}）`,
        ]),
        notice('task_assigned.applicant', applicant, `【进度】${plan}已进入${step.name}`, [
          `${applicant.name}：`,
          `您提交的《${plan}》已进入${step.name}（${progress}），由${step.organisation.name}办理。`,
        ]),
      ];
    }
    case 'approval.approved': {
      const lines = (to: Contact) => [`${to.name}：`, `${p.submission.county.name}人民政府提交的《${plan}》已经${message.payload.step.name}批准，审批完成。`];
      return [
        notice('approved.applicant', applicant, `【已批准】${plan}`, lines(applicant)),
        ...p.submission.stakeholders.map((s) => notice('approved.stakeholder', s, `【已批准】${plan}`, lines(s))),
      ];
    }
    case 'approval.rejected': {
      const { step, reason } = message.payload;
      const lines = (to: Contact) => [`${to.name}：`, `${p.submission.county.name}人民政府提交的《${plan}》在${step.name}未获通过。`, `理由：${reason}`];
      return [
        notice('rejected.applicant', applicant, `【未通过】${plan}`, lines(applicant)),
        ...p.submission.stakeholders.map((s) => notice('rejected.stakeholder', s, `【未通过】${plan}`, lines(s))),
      ];
    }
    case 'approval.withdrawn': {
      const { steps, reason } = message.payload;
      const why = reason ? [`撤回理由：${reason}`] : [];
      return [
        // The organisations whose step was pending need not act any more.
        ...steps.map(({ step }) =>
          notice('withdrawn.reviewer', { name: step.organisation.name, email: step.organisation.email }, `【已撤回】${plan}（${step.name}）`, [
            `${step.organisation.name}：`,
            `${p.submission.county.name}人民政府已撤回《${plan}》，${step.name}无需再办理。`,
            ...why,
          ]),
        ),
        notice('withdrawn.applicant', applicant, `【已撤回】${plan}`, [
          `${applicant.name}：`,
          `您提交的《${plan}》已撤回，审批已终止。`,
          ...why,
        ]),
      ];
    }
  }
}

const FOOTER = '此邮件由山海审批通知系统自动发送，请勿直接回复。';

function notice(template: string, to: Contact, subject: string, lines: readonly string[]): Notice {
  return {
    template,
    to,
    subject: oneLine(subject),
    text: [...lines, '', FOOTER].join('\n'),
    html: `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p style="color:#888">${FOOTER}</p></body></html>`,
  };
}

/** Subjects are one line whatever the user typed into a title. */
const oneLine = (s: string): string => s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
