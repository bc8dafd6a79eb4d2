import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/**
 * Counts and times every answered request under its route pattern (`/zone-plans/:id`), never its
 * concrete URL, so ids do not multiply the series.
 */
export function recordHttpMetrics(app: INestApplication): void {
  const metrics = app.get(MetricsService, { strict: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl}${pattern}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ method: req.method, route });
    });
    next();
  });
}
