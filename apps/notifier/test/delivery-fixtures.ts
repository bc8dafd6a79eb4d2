import { randomBytes, randomUUID } from 'node:crypto';
import { DeliveryJob } from '@shanhai/contracts';
import { Outbox, TokenService } from '@shanhai/platform';
import type { TestApp } from '@shanhai/platform/testing';
import { DataSource } from 'typeorm';
import type { NotifierConfig } from '../src/config.js';
import { Delivery } from '../src/deliveries/delivery.entity.js';

export const testDeliverySettings = { mailFrom: '山海审批通知 <noreply@shanhai.example>', messageIdDomain: 'test.shanhai.example' };

/** A unique address on the test domain. */
export const anAddress = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@county.shanhai.example`;

export interface Planned {
  readonly id: string;
  readonly messageId: string;
  readonly recipient: string;
}

/**
 * Plans one email as NotificationsService does — a `deliveries` row and its `deliver` job through
 * the outbox, in one transaction — without going through the templates.
 */
export async function planDelivery(
  t: TestApp<NotifierConfig>,
  recipient: string,
  options: { template?: string; submissionId?: string } = {},
): Promise<Planned> {
  const id = randomUUID();
  const messageId = `<${randomBytes(20).toString('hex')}@${testDeliverySettings.messageIdDomain}>`;
  await t.app.get(DataSource).transaction(async (manager) => {
    await manager.insert(Delivery, {
      id,
      eventId: randomUUID(),
      eventName: 'approval.task_assigned',
      submissionId: options.submissionId ?? randomUUID(),
      recipient,
      recipientName: '庆元县人民政府',
      template: options.template ?? 'task_assigned.applicant',
      subject: '【进度】浙江庆元经济开发区创建方案已进入市商务局初审',
      text: '您的创建方案已进入市商务局初审。',
      html: '<p>您的创建方案已进入市商务局初审。</p>',
      messageId,
      status: 'queued',
      attempts: 0,
      lastError: null,
      sentAt: null,
    });
    await t.app.get(Outbox).enqueueJob(manager, DeliveryJob, { deliveryId: id }, id);
  });
  return { id, messageId, recipient };
}

/** The delivery's row as the log shows it. */
export const rowOf = (t: TestApp<NotifierConfig>, id: string): Promise<Delivery | null> => t.app.get(DataSource).manager.findOneBy(Delivery, { id });

export async function bearer(t: TestApp<NotifierConfig>, role: 'admin' | 'reviewer' = 'admin'): Promise<string> {
  const principal =
    role === 'admin'
      ? { userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' as const }
      : { userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局', role: 'reviewer' as const, organisation: 'lishui-commerce' };
  return `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
}
