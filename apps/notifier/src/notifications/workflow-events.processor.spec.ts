import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  ApprovalApproved,
  ApprovalEscalated,
  ApprovalDigest,
  ApprovalRejected,
  ApprovalReminder,
  ApprovalUrged,
  ApprovalReturned,
  ApprovalWithdrawn,
  createMessage,
  DeadlineExtended,
  DirectoryOrganisationChanged,
  DirectoryUserChanged,
  QueueName,
  routes,
  TaskAssigned,
  TaskDelegated,
  type AnyMessage,
  type MessageName,
  type SubmissionSummary,
} from '@shanhai/contracts';
import type { DirectoryReplica, Inbox } from '@shanhai/platform';
import type { Job } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { DigestNotifications } from './digest.service.js';
import type { NotificationsService } from './notifications.service.js';
import { WorkflowEventsProcessor } from './workflow-events.processor.js';

const s: SubmissionSummary = {
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 2,
  title: '浙江庆元经济开发区',
  county: { code: 'qingyuan', name: '庆元县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '庆元县人民政府', email: 'qingyuan@county.shanhai.example' },
  stakeholders: [],
};
const step = { index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'zj@shanhai.example' } };
const ref = { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 } };
const decision = { ...ref, taskId: randomUUID(), step, decidedBy: '浙江省商务厅 王审核' };
const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });

/** One message of each kind the notifier queue receives. */
const messages: AnyMessage[] = [
  createMessage(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 3 }, meta()),
  createMessage(ApprovalApproved, decision, meta()),
  createMessage(ApprovalRejected, { ...decision, reason: '不符合条件' }, meta()),
  createMessage(ApprovalWithdrawn, { ...ref, steps: [{ taskId: randomUUID(), step }], withdrawnBy: '庆元县人民政府' }, meta()),
  createMessage(ApprovalReturned, { ...decision, deficiencies: [{ target: 'attachment', ref: 'land_use_plan', note: '缺少规划图' }] }, meta()),
  createMessage(TaskDelegated, { ...ref, taskId: randomUUID(), step, delegatedBy: '浙江省商务厅 王审核', delegate: { userId: randomUUID(), name: '浙江省商务厅 赵科员' } }, meta()),
  createMessage(DeadlineExtended, { ...ref, taskId: randomUUID(), step, days: 3, reason: '需征求意见', extendedBy: '浙江省商务厅 王审核' }, meta()),
  createMessage(ApprovalUrged, { ...ref, steps: [{ taskId: randomUUID(), step }], workingDay: '2026-10-09', urgedBy: '庆元县人民政府 李申报' }, meta()),
  createMessage(
    ApprovalDigest,
    { organisation: step.organisation, date: '2026-10-09', tasks: [{ taskId: randomUUID(), instanceId: ref.instanceId, submissionId: s.submissionId, kind: 'zone_plan', title: s.title, county: '庆元县', stepName: step.name, dueOn: '2026-10-10', overdue: false }] },
    meta(),
  ),
  createMessage(ApprovalReminder, { ...ref, kind: 'before', round: 1, dueOn: '2026-10-10', daysLeft: 2, steps: [{ taskId: randomUUID(), step }] }, meta()),
  createMessage(ApprovalEscalated, { ...ref, round: 1, dueOn: '2026-10-10', escalatedTo: { code: 'zj-gov', name: '浙江省人民政府', email: 'zj-gov@shanhai.example' }, steps: [{ taskId: randomUUID(), step }] }, meta()),
];

describe(WorkflowEventsProcessor.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  const manager = {} as EntityManager;
  const planned: { manager: EntityManager; message: AnyMessage }[] = [];
  const inbox = { runOnce: async (_id: string, _consumer: string, effect: (m: EntityManager) => Promise<void>) => (await effect(manager), 'handled' as const) } as unknown as Inbox;
  const notifications = { plan: async (m: EntityManager, message: AnyMessage) => void planned.push({ manager: m, message }) } as unknown as NotificationsService;
  const digests = { plan: async (m: EntityManager, message: AnyMessage) => void planned.push({ manager: m, message }) } as unknown as DigestNotifications;
  const replicated: AnyMessage[] = [];
  const keep = async (message: AnyMessage) => void replicated.push(message);
  const directory = { handlers: { 'directory.organisation_changed': keep, 'directory.user_changed': keep } } as unknown as DirectoryReplica;
  const directoryMessages = [
    createMessage(DirectoryOrganisationChanged, { code: 'zj-forestry', name: '浙江省林业局', kind: 'consulted_department', email: 'zj-forestry@shanhai.example', cityCode: null, version: 2 }, meta()),
    createMessage(
      DirectoryUserChanged,
      { userId: randomUUID(), username: 'zj-forestry-1', name: '林业局 审核员', role: 'reviewer', email: 'f1@shanhai.example', organisation: 'zj-forestry', county: null, zone: null, active: true, tokensValidAfter: null, version: 2 },
      meta(),
    ),
  ];

  it('boots: it has a handler for every message routed to the notifier queue', () => {
    expect(() => new WorkflowEventsProcessor(inbox, notifications, directory, digests)).not.toThrow();
  });

  it('plans the notices of every routed workflow message, in the inbox transaction, and keeps the directory replica', async () => {
    const routed = (Object.keys(routes) as MessageName[]).filter((name) => routes[name].includes(QueueName.Notifier));
    expect([...messages, ...directoryMessages].map((m) => m.name).sort()).toEqual(routed.sort());
    const processor = new WorkflowEventsProcessor(inbox, notifications, directory, digests);
    for (const message of messages) {
      await expect(processor.process({ data: JSON.parse(JSON.stringify(message)) } as Job)).resolves.toBe('handled');
    }
    expect(planned.map((p) => p.message.name)).toEqual(messages.map((m) => m.name));
    expect(planned.every((p) => p.manager === manager)).toBe(true);
    for (const message of directoryMessages) {
      await expect(processor.process({ data: JSON.parse(JSON.stringify(message)) } as Job)).resolves.toBe('handled');
    }
    expect(replicated.map((m) => m.name)).toEqual(directoryMessages.map((m) => m.name));
  });
});
