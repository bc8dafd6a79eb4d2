import { Injectable } from '@nestjs/common';
import type { MessageByName } from '@shanhai/contracts';
import type { EntityManager } from 'typeorm';
import { TokenRevocations } from '../auth/token-revocations.js';
import { ReplicaOrganisation, ReplicaUser } from './directory-replica.entities.js';

export { DirectoryReplica1764232000000, DirectorySupervisors1764232900000 } from './directory-replica.migration.js';
export { directoryReplicaEntities, ReplicaOrganisation, ReplicaUser } from './directory-replica.entities.js';

type OrganisationChanged = MessageByName<'directory.organisation_changed'>;
type UserChanged = MessageByName<'directory.user_changed'>;

/**
 * A consuming service's copy of intake's directory: organisations and accounts, written only by
 * intake's `directory.*` messages (in the inbox transaction) and read where the service resolves
 * who reviews or who is told. A record is replaced only by a newer version of it.
 */
@Injectable()
export class DirectoryReplica {
  /** The message handlers a consumer registers for the directory's messages. */
  readonly handlers = {
    'directory.organisation_changed': (message: OrganisationChanged, manager: EntityManager) => this.organisationChanged(manager, message),
    'directory.user_changed': (message: UserChanged, manager: EntityManager) => this.userChanged(manager, message),
  } as const;

  async organisationChanged(manager: EntityManager, message: OrganisationChanged): Promise<void> {
    const o = message.payload;
    await manager.query(
      `INSERT INTO directory_organisations (code, name, kind, email, city_code, version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, email = EXCLUDED.email, city_code = EXCLUDED.city_code, version = EXCLUDED.version
       WHERE directory_organisations.version < EXCLUDED.version`,
      [o.code, o.name, o.kind, o.email, o.cityCode, o.version],
    );
  }

  async userChanged(manager: EntityManager, message: UserChanged): Promise<void> {
    const u = message.payload;
    const applied: unknown[] = await manager.query(
      `INSERT INTO directory_users (id, username, name, role, email, organisation_code, county_code, zone_code, active, supervisor, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, name = EXCLUDED.name, role = EXCLUDED.role, email = EXCLUDED.email,
         organisation_code = EXCLUDED.organisation_code, county_code = EXCLUDED.county_code, zone_code = EXCLUDED.zone_code,
         active = EXCLUDED.active, supervisor = EXCLUDED.supervisor, version = EXCLUDED.version
       WHERE directory_users.version < EXCLUDED.version
       RETURNING id`,
      [u.userId, u.username, u.name, u.role, u.email, u.organisation, u.county, u.zone, u.active, u.supervisor ?? false, u.version],
    );
    // Only the newest version speaks for the account's tokens.
    if (!applied.length) return;
    if (!u.active) await TokenRevocations.record(manager, u.userId, { inactive: true });
    else if (u.tokensValidAfter) await TokenRevocations.record(manager, u.userId, { issuedBefore: new Date(u.tokensValidAfter) });
  }

  organisation(manager: EntityManager, code: string): Promise<ReplicaOrganisation | null> {
    return manager.findOneBy(ReplicaOrganisation, { code });
  }

  /** Every organisation code the replica holds. */
  async organisationCodes(manager: EntityManager): Promise<string[]> {
    return (await manager.find(ReplicaOrganisation, { select: { code: true }, order: { code: 'ASC' } })).map((o) => o.code);
  }

  async organisations(manager: EntityManager, codes: readonly string[]): Promise<Map<string, ReplicaOrganisation>> {
    if (!codes.length) return new Map();
    const rows = await manager.createQueryBuilder(ReplicaOrganisation, 'o').where('o.code IN (:...codes)', { codes: [...new Set(codes)] }).getMany();
    return new Map(rows.map((o) => [o.code, o]));
  }

  /** The commerce bureau serving a prefecture city: the first reviewer of its counties' plans. */
  cityCommerceBureau(manager: EntityManager, cityCode: string): Promise<ReplicaOrganisation | null> {
    return manager.findOne(ReplicaOrganisation, { where: { kind: 'city_commerce_bureau', cityCode }, order: { code: 'ASC' } });
  }

  account(manager: EntityManager, id: string): Promise<ReplicaUser | null> {
    return manager.findOneBy(ReplicaUser, { id });
  }

  /** The active accounts of an organisation. */
  members(manager: EntityManager, organisationCode: string): Promise<ReplicaUser[]> {
    return manager.find(ReplicaUser, { where: { organisationCode, active: true }, order: { username: 'ASC' } });
  }

  /** The active accounts of an organisation marked `supervisor` (told of its escalated steps). */
  supervisors(manager: EntityManager, organisationCode: string): Promise<ReplicaUser[]> {
    return manager.find(ReplicaUser, { where: { organisationCode, active: true, supervisor: true }, order: { username: 'ASC' } });
  }
}
