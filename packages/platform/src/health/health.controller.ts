import { Controller, Get, HttpStatus, Inject, type OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/decorators.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { HealthResponse } from './health.response.js';

type Check = { status: 'up' } | { status: 'down'; error: string };
const CHECK_TIMEOUT_MS = 2000;

/** Readiness: 200 when the service's database and Redis both answer, 503 otherwise. */
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  // A separate client that fails fast instead of queueing commands while Redis is away.
  private readonly redis: Redis;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  @Get()
  @ApiOperation({ summary: 'Readiness: whether the service\'s database and Redis answer' })
  @ApiOkResponse({ type: HealthResponse, description: 'The database and Redis both answered.' })
  @ApiServiceUnavailableResponse({
    type: HealthResponse,
    description: 'A check failed; its `error` says why.',
    example: { status: 'unavailable', service: 'intake', checks: { database: { status: 'up' }, redis: { status: 'down', error: 'no answer within 2000 ms' } } },
  })
  async health(@Res() response: Response): Promise<void> {
    const [database, redis] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.redis.ping()),
    ]);
    const up = database.status === 'up' && redis.status === 'up';
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: up ? 'ok' : 'unavailable',
      service: this.config.service,
      checks: { database, redis },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
