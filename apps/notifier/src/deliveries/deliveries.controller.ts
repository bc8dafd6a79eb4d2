import { Controller, Get, Query } from '@nestjs/common';
import { IsEmail, IsOptional, IsUUID } from 'class-validator';
import type { Delivery } from './delivery.entity.js';
import { DeliveriesService } from './deliveries.service.js';

export class ListDeliveriesQuery {
  @IsOptional() @IsUUID()
  submissionId?: string;

  @IsOptional() @IsEmail()
  recipient?: string;
}

export interface DeliveryResponse {
  id: string;
  event: string;
  submissionId: string;
  recipient: string;
  template: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  messageId: string;
  sentAt: string | null;
}

const toResponse = (d: Delivery): DeliveryResponse => ({
  id: d.id,
  event: d.eventName,
  submissionId: d.submissionId,
  recipient: d.recipient,
  template: d.template,
  subject: d.subject,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  messageId: d.messageId,
  sentAt: d.sentAt?.toISOString() ?? null,
});

/** The delivery log: what was sent to whom, and how it went. */
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  async list(@Query() query: ListDeliveriesQuery): Promise<{ items: DeliveryResponse[] }> {
    return { items: (await this.deliveries.list(query)).map(toResponse) };
  }
}
