import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { QueueRegistry } from '../messaging/queue-registry.js';

export const CONSUMED_QUEUES = Symbol('CONSUMED_QUEUES');
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Prometheus metrics of one service. A registry per app (not prom-client's global one), so
 * several apps in one process — as in the specs — never share or clash.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'shanhai_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'shanhai_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly messages = new Counter({
    name: 'shanhai_messages_total',
    help: 'Messages taken from a queue, by consumer and outcome (handled, duplicate)',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly emails = new Counter({
    name: 'shanhai_emails_total',
    help: 'Emails the notifier tried to send, by template and outcome (sent, failed, dead)',
    labelNames: ['template', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @InjectDataSource() dataSource: DataSource,
    queues: QueueRegistry,
    @Inject(CONSUMED_QUEUES) consumed: readonly string[],
  ) {
    this.registry.setDefaultLabels({ service: config.service });
    collectDefaultMetrics({ register: this.registry, prefix: 'shanhai_' });
    new Gauge({
      name: 'shanhai_outbox_pending',
      help: 'Outbox rows committed but not yet on a queue',
      registers: [this.registry],
      async collect() {
        const [row] = await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL');
        this.set(row?.n ?? 0);
      },
    });
    new Gauge({
      name: 'shanhai_queue_jobs',
      help: 'Jobs in the queues this service consumes, by state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const name of consumed) {
          const counts = await queues.get(name).getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
  }
}
