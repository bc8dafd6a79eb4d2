import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service.js';
import { InboxMessage } from './inbox-message.entity.js';

export type InboxOutcome = 'handled' | 'duplicate';

/**
 * Runs a handler at most once per (message, consumer): the inbox row and the handler's effects
 * commit together, so a redelivered message finds its row and is acknowledged without effect.
 */
@Injectable()
export class Inbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  async runOnce(messageId: string, consumer: string, effect: (manager: EntityManager) => Promise<void>): Promise<InboxOutcome> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<InboxOutcome> => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(InboxMessage)
        .values({ messageId, consumer })
        .orIgnore()
        .returning(['messageId'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return 'duplicate';
      await effect(manager);
      return 'handled';
    });
    this.metrics.messages.inc({ consumer, outcome });
    return outcome;
  }
}
