import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, hashPassword, RequestValidationError, TokenRevocations, type FieldProblem, type Principal, type Role } from '@shanhai/platform';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
// Deactivating a user must end their sessions in the same transaction: auth's own function does it.
import { endSessions } from '../auth/sessions.js';
import { DirectoryPublisher } from './directory-publisher.js';
import { AdvancedZoneRecord, CountyRecord, OrganisationRecord, UserRecord } from './directory.entities.js';
import type { CreateUserRequest, UpdateUserRequest } from './dto/user.request.js';

type ScopeField = 'county' | 'organisation' | 'zone';
type Scope = Record<ScopeField, string | null>;

/** The one scope field each role needs; an admin needs none. */
const scopeOf: Record<Role, ScopeField | undefined> = { applicant: 'county', reviewer: 'organisation', stakeholder: 'zone', admin: undefined };
const scopeFields: readonly ScopeField[] = ['county', 'organisation', 'zone'];
const scopeTable = { county: [CountyRecord, 'county'], organisation: [OrganisationRecord, 'organisation'], zone: [AdvancedZoneRecord, 'advanced zone'] } as const;
const an = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** Accounts, maintained by admins. Passwords are stored as bcrypt hashes and never returned. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: DirectoryPublisher,
  ) {}

  /** An active account by username or id, read in the caller's transaction (sign-in and token refresh). */
  activeAccount(m: EntityManager, by: { username: string } | { id: string }): Promise<Account | null> {
    return m.findOneBy(UserRecord, { ...by, active: true });
  }

  async list(limit: number, offset: number): Promise<{ items: UserRecord[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(UserRecord, { order: { username: 'ASC' }, take: limit, skip: offset });
    return { items, total };
  }

  async create(body: CreateUserRequest): Promise<UserRecord> {
    const scope: Scope = { county: body.county ?? null, organisation: body.organisation ?? null, zone: body.zone ?? null };
    const problems = [...(await this.scopeProblems(this.dataSource.manager, body.role, scope)), ...supervisorProblems(body.role, body.supervisor)];
    if (problems.length) throw new RequestValidationError(problems);
    if (await this.dataSource.manager.existsBy(UserRecord, { username: body.username })) throw taken(body.username);
    const passwordHash = await hashPassword(body.password);
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (m) => {
        await m.insert(UserRecord, {
          id,
          username: body.username,
          passwordHash,
          role: body.role,
          name: body.name,
          email: body.email,
          countyCode: scope.county,
          organisationCode: scope.organisation,
          zoneCode: scope.zone,
          active: true,
          supervisor: body.supervisor ?? false,
        });
        await this.publisher.userChanged(m, id);
      });
    } catch (error) {
      // Another admin took the name between the check and the insert.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') throw taken(body.username);
      throw error;
    }
    return this.dataSource.manager.findOneByOrFail(UserRecord, { id });
  }

  /**
   * Only the fields sent change. Deactivating a user, or resetting their password, revokes their
   * live refresh tokens in the same transaction, and the access tokens already issued on every
   * service: at once here (the revocation list), on the others when the directory message lands.
   */
  async update(actor: Principal, id: string, patch: UpdateUserRequest, now = new Date()): Promise<UserRecord> {
    // bcrypt is slow on purpose: hash before taking the row lock.
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    return this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserRecord, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new DomainError('NOT_FOUND', `no user has the id ${id}`);
      const problems: FieldProblem[] = [];
      const self = user.id === actor.userId;
      if (self && patch.active === false) problems.push({ field: 'active', message: 'you cannot deactivate your own account' });
      if (self && patch.role !== undefined && patch.role !== user.role) problems.push({ field: 'role', message: 'you cannot change your own role' });

      const role = patch.role ?? user.role;
      const current: Scope = { county: user.countyCode, organisation: user.organisationCode, zone: user.zoneCode };
      const sent = scopeFields.filter((f) => patch[f] !== undefined);
      const rescoped = patch.role !== undefined || sent.length > 0;
      // The role's own field is kept unless sent; the others are cleared, so only a sent one can be set where it must not be.
      const scope = Object.fromEntries(
        scopeFields.map((f) => [f, patch[f] !== undefined ? patch[f] : f === scopeOf[role] ? current[f] : null]),
      ) as Scope;
      if (rescoped) problems.push(...(await this.scopeProblems(m, role, scope)));
      problems.push(...supervisorProblems(role, patch.supervisor));
      if (problems.length) throw new RequestValidationError(problems);
      // Only a reviewer supervises: a move to another role ends it, unless sent (and refused above).
      const supervisor = patch.supervisor ?? (role === 'reviewer' ? user.supervisor : false);

      await m.update(UserRecord, { id }, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(rescoped ? { role, countyCode: scope.county, organisationCode: scope.organisation, zoneCode: scope.zone } : {}),
        supervisor,
        updatedAt: now,
      });
      if (patch.active === false || passwordHash !== undefined) await endSessions(m, id, now);
      // A reactivated account starts afresh too: tokens from before its deactivation stay dead.
      const tokensValidAfter = passwordHash !== undefined || (patch.active === true && !user.active) ? now : null;
      const active = patch.active ?? user.active;
      if (!active) await TokenRevocations.record(m, id, { inactive: true });
      else if (tokensValidAfter) await TokenRevocations.record(m, id, { issuedBefore: tokensValidAfter });
      await this.publisher.userChanged(m, id, now, tokensValidAfter);
      return m.findOneByOrFail(UserRecord, { id });
    });
  }

  /** Every problem with a role's scope: the field it needs missing, a field it does not have set, a code the directory does not hold. */
  private async scopeProblems(m: EntityManager, role: Role, scope: Scope): Promise<FieldProblem[]> {
    const needed = scopeOf[role];
    const problems: FieldProblem[] = [];
    for (const field of scopeFields) {
      const value = scope[field];
      if (field === needed && !value) {
        problems.push({ field, message: `${an(role)} needs ${an(field)}` });
      } else if (field !== needed && value) {
        problems.push({ field, message: `${an(role)} has no ${field}` });
      } else if (value) {
        const [entity, what] = scopeTable[field];
        if (!(await m.existsBy(entity, { code: value }))) problems.push({ field, message: `no ${what} has the code ${value}` });
      }
    }
    return problems;
  }
}

/** An account as the other features see it. */
export type Account = UserRecord;

const taken = (username: string) => new DomainError('USERNAME_TAKEN', `the username ${username} is taken`);

/** Only a reviewer supervises their organisation (told of its escalated steps). */
function supervisorProblems(role: Role, supervisor: boolean | undefined): FieldProblem[] {
  return supervisor && role !== 'reviewer' ? [{ field: 'supervisor', message: `only a reviewer supervises an organisation, not ${an(role)}` }] : [];
}
