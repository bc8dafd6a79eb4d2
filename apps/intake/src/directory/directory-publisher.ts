import { Injectable } from '@nestjs/common';
import { DirectoryOrganisationChanged, DirectoryUserChanged } from '@shanhai/contracts';
import { Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { OrganisationRecord, UserRecord, type UserRole } from './directory.entities.js';

/**
 * How the directory reaches the services that keep a replica of it (workflow, the notifier):
 * each change bumps the record's version and publishes the whole record through the outbox, in
 * the transaction that made the change. Nothing else writes those replicas.
 */
@Injectable()
export class DirectoryPublisher {
  constructor(private readonly outbox: Outbox) {}

  /** After a change to organisation `code` in this transaction: bump its version and publish it. */
  async organisationChanged(m: EntityManager, code: string, at = new Date()): Promise<void> {
    await m.increment(OrganisationRecord, { code }, 'version', 1);
    await this.publishOrganisation(m, await m.findOneByOrFail(OrganisationRecord, { code }), at);
  }

  /** After a change to account `id`; `tokensValidAfter` ends its earlier tokens everywhere (a password reset). */
  async userChanged(m: EntityManager, id: string, at = new Date(), tokensValidAfter: Date | null = null): Promise<void> {
    await m.increment(UserRecord, { id }, 'version', 1);
    await this.publishUser(m, await m.findOneByOrFail(UserRecord, { id }), at, tokensValidAfter);
  }

  /** Every organisation and account as it stands (the seed's snapshot); replicas ignore what they hold already. */
  async publishAll(m: EntityManager, at = new Date()): Promise<{ organisations: number; users: number }> {
    const organisations = await m.find(OrganisationRecord, { order: { code: 'ASC' } });
    for (const o of organisations) await this.publishOrganisation(m, o, at);
    const users = await m.find(UserRecord, { order: { username: 'ASC' } });
    for (const u of users) await this.publishUser(m, u, at, null);
    return { organisations: organisations.length, users: users.length };
  }

  private async publishOrganisation(m: EntityManager, o: OrganisationRecord, at: Date): Promise<void> {
    const payload = { code: o.code, name: o.name, kind: o.kind, email: o.email, cityCode: o.cityCode, version: Number(o.version) };
    await this.outbox.publish(m, DirectoryOrganisationChanged, payload, at);
  }

  private async publishUser(m: EntityManager, u: UserRecord, at: Date, tokensValidAfter: Date | null): Promise<void> {
    await this.outbox.publish(
      m,
      DirectoryUserChanged,
      {
        userId: u.id,
        username: u.username,
        name: u.name,
        role: u.role satisfies UserRole,
        email: u.email,
        organisation: u.organisationCode,
        county: u.countyCode,
        zone: u.zoneCode,
        active: u.active,
        supervisor: u.supervisor,
        tokensValidAfter: tokensValidAfter?.toISOString() ?? null,
        version: Number(u.version),
      },
      at,
    );
  }
}
