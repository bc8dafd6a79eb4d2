import { randomUUID } from 'node:crypto';
import { ConsoleLogger, type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ConfigError, type ServiceConfig } from './config/config.js';
import { migrate, type DatabaseOptions } from './database/data-source.js';
import { defaultOpenApiOptions, setupOpenApi, type OpenApiOptions } from './http/openapi.js';
import { inputGate } from './http/input-gate.js';
import { createValidationPipe } from './http/validation.js';
import { runWithCorrelation } from './messaging/correlation.js';
import { recordHttpMetrics } from './metrics/http-metrics.js';

export const CORRELATION_HEADER = 'x-correlation-id';
const JSON_BODY_LIMIT = '256kb';

/** Applies what every HTTP edge needs: body limits, validation, correlation ids, clean shutdown. */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // With `rawBody` (set where the app is created), the bytes stay on the request for the gate's UTF-8 check.
  // Every type ContentTypeGuard lets through as JSON (`+json` too) is parsed, and so gated: none reaches a handler unread.
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT, type: ['application/json', '*/*+json'] });
  // After the body is parsed, before any route: see input-gate.ts.
  app.use(inputGate);
  express.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.header(CORRELATION_HEADER);
    const correlationId = given && /^[\w.-]{1,200}$/.test(given) ? given : randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    runWithCorrelation({ correlationId }, next);
  });
  recordHttpMetrics(app);
  // SIGTERM and SIGINT only: Nest's default list includes SIGUSR2, which tools (and operators)
  // send to ask for a heap snapshot or a log reopen, never to stop a service.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}

/**
 * Boots a service's HTTP app and its workers; returns the app once it listens.
 * Also serves its OpenAPI document: Swagger UI at `/docs`, the JSON at `/docs-json`.
 */
export async function bootstrapService(
  module: unknown,
  config: ServiceConfig,
  openapi: OpenApiOptions = defaultOpenApiOptions(config.service),
): Promise<INestApplication> {
  const logger = new ConsoleLogger({ prefix: `shanhai-${config.service}`, json: config.logFormat === 'json', colors: config.logFormat === 'pretty' });
  const app = await NestFactory.create<NestExpressApplication>(module as never, { logger, bodyParser: false, rawBody: true });
  configureHttp(app);
  setupOpenApi(app, openapi);
  keepRunningOnSignals(['SIGUSR2', 'SIGHUP']);
  await app.listen(config.port, config.host);
  Logger.log(`${config.service} listening on http://${config.host}:${config.port}`, 'Bootstrap');
  return app;
}

/**
 * A signal with no handler ends a Node process. SIGUSR2 (a heap snapshot, a log reopen) and
 * SIGHUP (a closed terminal) must not stop a service: they are logged and the service goes on.
 * Only SIGTERM and SIGINT shut it down, gracefully (see configureHttp).
 */
export function keepRunningOnSignals(signals: readonly NodeJS.Signals[]): void {
  for (const signal of signals) {
    if (process.listenerCount(signal) === 0) process.on(signal, () => Logger.warn(`${signal} received and ignored: a service stops on SIGTERM or SIGINT`, 'Bootstrap'));
  }
}

/** Reads the configuration; a bad setting ends the process with one readable message, no stack. */
export function loadConfigOrExit<C extends ServiceConfig>(service: string, load: () => C): C {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(1);
  }
}

/** The body of each service's main.ts. */
export async function runService<C extends ServiceConfig>(
  service: string,
  load: () => C,
  module: (config: C) => unknown,
  openapi?: OpenApiOptions,
): Promise<INestApplication> {
  const config = loadConfigOrExit(service, load);
  return bootstrapService(module(config), config, openapi);
}

/** The body of each service's migrate.ts: creates the database when missing and migrates it. */
export async function runMigrations<C extends ServiceConfig>(service: string, load: () => C, schema: Pick<DatabaseOptions, 'entities' | 'migrations'>): Promise<void> {
  const config = loadConfigOrExit(service, load);
  const applied = await migrate({ url: config.databaseUrl, ...schema });
  process.stdout.write(`${service}: ${applied.length ? `applied ${applied.join(', ')}` : 'database is up to date'}\n`);
}
