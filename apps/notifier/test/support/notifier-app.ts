import type { OpenApiOptions, ServiceConfig } from '@shanhai/platform';
import { createTestApp, type TestApp } from '@shanhai/platform/testing';
import { AppModule, entities, migrations } from '../../src/app.module.js';
import type { NotifierConfig } from '../../src/config.js';
import { bearer } from '../delivery-fixtures.js';

/** No SMTP server listens here: what a spec plans stays unsent unless it brings its own server. */
export const NO_SMTP = 'smtp://127.0.0.1:1';

/**
 * The notifier as a test module on its own database and queue prefix. `config` overrides the
 * settings a spec cares about: where mail goes (`smtpUrl`, `smtpUrls`), `delivery` settings.
 */
export function startNotifier(config: Partial<Omit<NotifierConfig, keyof ServiceConfig>> = {}, options: { openapi?: OpenApiOptions } = {}): Promise<TestApp<NotifierConfig>> {
  return createTestApp<NotifierConfig>({
    service: 'notifier',
    module: (c) => AppModule.forConfig(c),
    schema: { entities, migrations },
    extra: { smtpUrl: NO_SMTP, mailFrom: '山海审批通知 <noreply@shanhai.example>', messageIdDomain: 'test.shanhai.example', ...config },
    ...options,
  });
}

/** An admin's bearer token for `t`. */
export const adminBearer = (t: TestApp<NotifierConfig>): Promise<string> => bearer(t, 'admin');
