import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';

export interface OutgoingMail {
  readonly to: { name: string; address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
}

const SMTP_TIMEOUT_MS = 20_000;

/** A pooled SMTP transport from SMTP_URL. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(@Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig) {
    this.transport = nodemailer.createTransport({
      pool: true,
      url: config.smtpUrl,
      maxConnections: 5,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
