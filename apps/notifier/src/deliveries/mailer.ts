import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsService } from '@shanhai/platform';
import nodemailer from 'nodemailer';
import { Gauge } from 'prom-client';
import { deliverySettingsOf, NOTIFIER_CONFIG, smtpUrlsOf, type NotifierConfig } from '../config.js';
import { CIRCUIT_STATES, CircuitBreaker } from './circuit-breaker.js';

export interface OutgoingMail {
  readonly to: { name: string; address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
}

export interface SentMail {
  /** The transport that took the mail, as `smtp://host:port`. */
  readonly transport: string;
  /** The server's answer to DATA, e.g. `250 OK: queued`. */
  readonly response: string;
}

/** The recipient's server refused the mail for good (5xx): retrying, here or elsewhere, will not help. */
export class PermanentSmtpError extends Error {
  constructor(
    message: string,
    /** The last SMTP response, e.g. `550 5.1.1 <x@y>: mailbox unavailable`. */
    readonly response: string,
    readonly transport: string,
  ) {
    super(message);
    this.name = 'PermanentSmtpError';
  }
}

/**
 * No transport the breakers trust was tried: every circuit is open (or its one trial is in
 * flight), or the trial sends a half-open circuit let through failed and opened it again. The mail
 * was not attempted, so the delivery waits `retryInMs` without spending one of its attempts.
 */
export class CircuitsOpenError extends Error {
  constructor(
    readonly retryInMs: number,
    /** The trial sends that failed, if any, each with its transport's error. */
    failedTrials: readonly string[] = [],
  ) {
    super(`every SMTP circuit is open${failedTrials.length ? ` (${failedTrials.join('; ')})` : ''}: next one may be tried in ${retryInMs} ms`);
    this.name = 'CircuitsOpenError';
  }
}

/** Worth trying again later: a 4xx reply, a refused or lost connection, a timeout. */
export class TemporarySmtpError extends Error {
  constructor(
    message: string,
    readonly transport: string | null,
    /**
     * How long until a transport's circuit lets a send through: 0 when one is closed. A failure
     * that opened the last closed circuit says so, and the retry waits for its half-open.
     */
    readonly retryNotBeforeMs = 0,
  ) {
    super(message);
    this.name = 'TemporarySmtpError';
  }
}

const SMTP_TIMEOUT_MS = 20_000;

interface SmtpError {
  message: string;
  code?: string;
  /** The SMTP command that failed, as nodemailer reports it (`MAIL FROM`, `RCPT TO`, `DATA`). */
  command?: string;
  response?: string;
  responseCode?: number;
}

/**
 * Whose problem a failed send is. A 5xx or 4xx to RCPT TO or DATA is about this mail; everything
 * else is the transport's: refused or lost connections, timeouts, TLS, authentication, 421
 * ("closing the channel"), 530 ("authentication required") and any refusal of MAIL FROM (our
 * sender, the same for every mail: the relay's configuration, not the recipient).
 */
export function classifySmtpError(error: SmtpError): 'permanent' | 'temporary' | 'transport' {
  const aboutThisMail = (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && !/^MAIL\b/i.test(error.command ?? '');
  if (!aboutThisMail || error.responseCode === 421 || error.responseCode === 530) return 'transport';
  return error.responseCode !== undefined && error.responseCode < 500 ? 'temporary' : 'permanent';
}

/** `smtp://host:port`, credentials and options left out: safe for logs, metrics and the delivery log. */
export function transportLabel(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

interface Transport {
  readonly label: string;
  readonly pool: ReturnType<typeof nodemailer.createTransport>;
  readonly breaker: CircuitBreaker;
}

/**
 * Sends through the SMTP servers of SMTP_URLS in order, each a nodemailer pool behind its own
 * circuit breaker: a transport whose circuit is open is skipped for the next one. Each pool has as
 * many connections as the delivery worker sends at once (NOTIFIER_DELIVERY_CONCURRENCY): fewer
 * would queue sends inside nodemailer, more would stay idle.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private readonly transports: readonly Transport[];

  constructor(@Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig, metrics: MetricsService) {
    const settings = deliverySettingsOf(config);
    this.transports = smtpUrlsOf(config).map((url) => {
      const label = transportLabel(url);
      return {
        label,
        pool: nodemailer.createTransport({
          pool: true,
          url,
          maxConnections: settings.concurrency,
          connectionTimeout: SMTP_TIMEOUT_MS,
          greetingTimeout: SMTP_TIMEOUT_MS,
          socketTimeout: SMTP_TIMEOUT_MS,
        }),
        breaker: new CircuitBreaker(settings.breakerThreshold, settings.breakerCooldownMs, (from, to, why) => {
          const line = `SMTP transport ${label}: circuit ${from} -> ${to} (${why})`;
          if (to === 'closed') this.logger.log(line);
          else this.logger.warn(line);
        }),
      };
    });
    const transports = this.transports;
    new Gauge({
      name: 'shanhai_smtp_circuit_state',
      help: 'Circuit breaker of each SMTP transport: 1 for its current state (closed, open, half_open), 0 for the others',
      labelNames: ['transport', 'state'] as const,
      registers: [metrics.registry],
      collect() {
        for (const t of transports) for (const state of CIRCUIT_STATES) this.set({ transport: t.label, state }, t.breaker.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'shanhai_smtp_transport_consecutive_failures',
      help: 'Transport failures (refused, timed out, 421) of each SMTP transport since its last good send',
      labelNames: ['transport'] as const,
      registers: [metrics.registry],
      collect() {
        for (const t of transports) this.set({ transport: t.label }, t.breaker.failures);
      },
    });
  }

  /** Each transport's circuit state, in the order they are tried. */
  circuits(): { transport: string; state: string; failures: number }[] {
    return this.transports.map((t) => ({ transport: t.label, state: t.breaker.state, failures: t.breaker.failures }));
  }

  /**
   * Sends through the first transport whose circuit lets it; a transport failure moves on to the
   * next. Throws PermanentSmtpError on a 5xx (never tried elsewhere), CircuitsOpenError when no
   * transport with a closed circuit was tried, TemporarySmtpError otherwise.
   */
  async send(mail: OutgoingMail): Promise<SentMail> {
    const failures: string[] = [];
    const failedTrials: string[] = [];
    let last: string | null = null;
    for (const transport of this.transports) {
      if (!transport.breaker.tryAcquire()) {
        failures.push(`${transport.label}: circuit open`);
        continue;
      }
      // Half-open: this send is the one trial that asks whether the transport is back.
      const trial = transport.breaker.state === 'half_open';
      try {
        const info = (await transport.pool.sendMail({
          from: this.config.mailFrom,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: { 'Auto-Submitted': 'auto-generated' },
        })) as { response?: string };
        transport.breaker.succeeded();
        return { transport: transport.label, response: info.response ?? '' };
      } catch (thrown) {
        const error = thrown as SmtpError;
        const reply = error.response ?? error.message;
        switch (classifySmtpError(error)) {
          case 'permanent':
            // The server is fine; the mail is not. Not the transport's fault, nor another's to try.
            transport.breaker.succeeded();
            throw new PermanentSmtpError(`${transport.label}: ${error.message}`, reply, transport.label);
          case 'temporary':
            transport.breaker.succeeded();
            throw new TemporarySmtpError(`${transport.label}: ${error.message}`, transport.label);
          case 'transport':
            transport.breaker.failed(error.message);
            failures.push(`${transport.label}: ${error.message}`);
            // A failed trial only repeats what opened the circuit: the transport is still down.
            // That is not the mail's failure, and must not spend its attempts: over a long outage
            // the few mails still waiting would be every trial, and die of it.
            if (trial) failedTrials.push(`${transport.label}: the trial send failed: ${error.message}`);
            else last = transport.label;
        }
      }
    }
    // No trusted transport was tried: nothing was attempted, so nothing is counted against the mail.
    if (last === null) throw new CircuitsOpenError(Math.max(50, this.nextTransportInMs()), failedTrials);
    throw new TemporarySmtpError(`no SMTP transport took the mail: ${failures.join('; ')}`, last, this.nextTransportInMs());
  }

  /** How long until some transport's circuit lets a send through (0 when one is closed). */
  private nextTransportInMs(): number {
    return Math.min(...this.transports.map((t) => t.breaker.availableInMs()));
  }

  onApplicationShutdown(): void {
    for (const t of this.transports) t.pool.close();
  }
}
