import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthCheckResponse {
  @ApiProperty({ description: 'Whether the dependency answered within 2 s.', enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Why the check failed; only when `down`.', example: 'no answer within 2000 ms' })
  error?: string;
}

export class HealthChecksResponse {
  @ApiProperty({ description: '`SELECT 1` on the service\'s own database.', type: HealthCheckResponse })
  database!: HealthCheckResponse;

  @ApiProperty({ description: '`PING` on Redis.', type: HealthCheckResponse })
  redis!: HealthCheckResponse;
}

/** The readiness answer: `ok` only when every check is up. */
export class HealthResponse {
  @ApiProperty({ description: '`ok` when every check is up, `unavailable` otherwise.', enum: ['ok', 'unavailable'], example: 'ok' })
  status!: 'ok' | 'unavailable';

  @ApiProperty({ description: 'The service that answered.', enum: ['intake', 'workflow', 'notifier'], example: 'intake' })
  service!: 'intake' | 'workflow' | 'notifier';

  @ApiProperty({ type: HealthChecksResponse })
  checks!: HealthChecksResponse;
}
