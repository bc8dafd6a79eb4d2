import type { Contact, Deficiency, MessageByName, StepRef } from '@shanhai/contracts';

/** The workflow events that someone must be told about (the notifier queue's routes). */
export const notifiedEvents = [
  'approval.task_assigned',
  'approval.approved',
  'approval.rejected',
  'approval.withdrawn',
  'approval.returned',
  'approval.delegated',
] as const;
export type NotifiableMessage = MessageByName<(typeof notifiedEvents)[number]>;

/** Every email the notifier writes, as `<event>.<recipient>`. The delivery log documents this list. */
export const noticeTemplates = [
  'task_assigned.reviewer',
  'task_assigned.applicant',
  'approved.applicant',
  'approved.stakeholder',
  'rejected.applicant',
  'rejected.stakeholder',
  'withdrawn.reviewer',
  'withdrawn.applicant',
  'returned.applicant',
  'delegated.reviewer',
] as const;
export type NoticeTemplate = (typeof noticeTemplates)[number];

/** One email to write: who gets it, under which template, with what content. */
export interface Notice {
  readonly template: NoticeTemplate;
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
      // A later revision was corrected after a return (补正): the step may be one it re-entered.
      const revision = p.submission.revision > 1 ? `（第 ${p.submission.revision} 版，已按补正意见修改）` : '';
      return [
        notice('task_assigned.reviewer', reviewer(step), `【待审】${plan}（${step.name}）`, [
          `${step.organisation.name}：`,
          `${p.submission.county.name}人民政府提交的《${plan}》${revision}已进入${step.name}（${progress}），请登录山海审批系统办理。`,
          `申请单位联系人：${applicant.name}（${applicant.email}）`,
        ]),
        // Once per step entered: not for each countersigning party, nor when an admin moves a task.
        ...((message.payload.party ?? 0) === 0 && !message.payload.reassigned
          ? [
              notice('task_assigned.applicant', applicant, `【进度】${plan}已进入${step.name}`, [
                `${applicant.name}：`,
                `您提交的《${plan}》已进入${step.name}（${progress}），由${countersigned(message.payload)}办理。`,
              ]),
            ]
          : []),
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
          notice('withdrawn.reviewer', reviewer(step), `【已撤回】${plan}（${step.name}）`, [
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
    case 'approval.returned': {
      // A correction notice (补正) is the applicant's business alone: stakeholders hear of the outcome only.
      const { step, deficiencies, opinion, decidedBy, actingFor } = message.payload;
      return [
        notice('returned.applicant', applicant, `【补正】${plan}（${step.name}）`, [
          `${applicant.name}：`,
          `您提交的《${plan}》（第 ${p.submission.revision} 版）在${step.name}中被${step.organisation.name}退回补正，请按以下 ${deficiencies.length} 项意见修改：`,
          ...deficiencies.map((d, i) => `${i + 1}. ${describeDeficiency(d)}`),
          ...(opinion ? [`审核意见：${opinion}`] : []),
          `审核人：${decider(decidedBy, actingFor)}`,
          `请登录山海审批系统逐项修改后重新提交，修改后的申请将回到${step.name}继续审核。`,
        ]),
      ];
    }
    case 'approval.delegated': {
      const { step, delegatedBy, delegate, reason } = message.payload;
      return [
        notice('delegated.reviewer', reviewer(step), `【转办】${plan}（${step.name}）`, [
          `${step.organisation.name}：`,
          `${p.submission.county.name}人民政府提交的《${plan}》在${step.name}的审批任务已由${delegatedBy}转交${delegate.name}办理。`,
          ...(reason ? [`转办理由：${reason}`] : []),
        ]),
      ];
    }
  }
}

/** A step's reviewing organisation as a mail recipient. */
const reviewer = (step: StepRef): Contact => ({ name: step.organisation.name, email: step.organisation.email });

const TARGET_LABEL: Record<Deficiency['target'], string> = { field: '字段', attachment: '附件' };

/** `字段 content.blocks.0.areaKm2：…` / `附件 land_use_plan：…` */
const describeDeficiency = (d: Deficiency): string => `${TARGET_LABEL[d.target]} ${d.ref}：${d.note}`;

/** Who decided, and for whom when a colleague acted on a delegated task (代办). */
const decider = (decidedBy: string, actingFor: string | undefined): string => (actingFor ? `${decidedBy}（代${actingFor}）` : decidedBy);

/** Who handles the step, as the applicant is told: its organisation, or every party of a countersigned step. */
const countersigned = (p: MessageByName<'approval.task_assigned'>['payload']): string =>
  p.parties && p.parties.length > 1 ? `${p.parties.map((o) => o.name).join('、')}共同` : p.step.organisation.name;

const FOOTER = '此邮件由山海审批通知系统自动发送，请勿直接回复。';

function notice(template: NoticeTemplate, to: Contact, subject: string, lines: readonly string[]): Notice {
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
