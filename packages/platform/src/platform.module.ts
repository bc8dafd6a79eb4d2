import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { QueueName } from '@shanhai/contracts';
import { AuthGuard } from './auth/auth.guard.js';
import { ContentTypeGuard, InputGateGuard } from './http/input-gate.js';
import { Clock, SystemClock } from './time/clock.js';
import { TokenRevocations } from './auth/token-revocations.js';
import { TokenService } from './auth/token.service.js';
import { SERVICE_CONFIG, type ServiceConfig } from './config/config.js';
import { dataSourceOptions, poolSizeFor, type DatabaseOptions } from './database/data-source.js';
import { DirectoryReplica } from './directory/directory-replica.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { CONSUMED_QUEUES, MetricsService } from './metrics/metrics.service.js';
import { IdempotencyInterceptor } from './http/idempotency/idempotency.interceptor.js';
import { IdempotencyStore } from './http/idempotency/idempotency.store.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { concurrencyOf } from './messaging/concurrency.js';
import { Inbox } from './messaging/inbox.js';
import { Outbox } from './messaging/outbox.js';
import { OutboxRelay } from './messaging/outbox-relay.js';
import { defaultJobOptions, QueueRegistry } from './messaging/queue-registry.js';

export interface PlatformOptions {
  readonly config: ServiceConfig;
  readonly entities: DatabaseOptions['entities'];
  readonly migrations: DatabaseOptions['migrations'];
  /** Queues this service's workers consume. */
  readonly consumes: readonly QueueName[];
  /** Throw-away test databases only. */
  readonly synchronize?: boolean;
  /**
   * Require an access token on every route not marked `@Public()` (a global AuthGuard). Off by
   * default until each service's controllers and specs are ready for it; TokenService is there either way.
   */
  readonly authentication?: boolean;
}

/** Database, queues, outbox relay, inbox, health, tokens (and the auth guard), `Idempotency-Key` and problem+json errors for one service. */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const { config } = options;
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: config.databaseUrl,
            entities: options.entities,
            migrations: options.migrations,
            synchronize: options.synchronize ?? false,
            // Every job a worker runs at once may hold a connection for its transaction.
            poolSize: poolSizeFor(options.consumes.reduce((sum, queue) => sum + concurrencyOf(config, queue), 0)),
          }),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        BullModule.forRoot({
          connection: { url: config.redisUrl, maxRetriesPerRequest: null },
          prefix: config.queuePrefix,
          defaultJobOptions,
        }),
        ...options.consumes.map((name) => BullModule.registerQueue({ name })),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        { provide: CONSUMED_QUEUES, useValue: options.consumes },
        MetricsService,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        TokenService,
        TokenRevocations,
        // First: a request the input gate found hostile is a 400 with or without a token (input-gate.ts).
        { provide: APP_GUARD, useClass: InputGateGuard },
        ...(options.authentication ? [{ provide: APP_GUARD, useClass: AuthGuard }] : []),
        // After authentication: an anonymous caller learns it must sign in before what the operation takes.
        { provide: APP_GUARD, useClass: ContentTypeGuard },
        IdempotencyStore,
        // Global: every mutating route of every service honours `Idempotency-Key`.
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        QueueRegistry,
        Outbox,
        OutboxRelay,
        Inbox,
        DirectoryReplica,
      ],
      exports: [SERVICE_CONFIG, Clock, Outbox, OutboxRelay, Inbox, QueueRegistry, TokenService, TokenRevocations, DirectoryReplica, MetricsService],
    };
  }
}
