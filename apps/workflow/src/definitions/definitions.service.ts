import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { approvalKinds, toDefinition, validateDefinition, type ApprovalDefinition, type DefinitionDraft } from '@shanhai/domain';
import { DirectoryReplica, DomainError, RequestValidationError, type Principal } from '@shanhai/platform';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { PublishedDefinition } from './definition.entity.js';

/** Concurrent publishes of one kind race for the next version; the loser retries this often, then gets 409. */
const PUBLISH_ATTEMPTS = 3;

/**
 * The published versions of the approval definitions. A version never changes once published,
 * so versions read by instances are cached in-process for the life of the service; which version
 * is the newest is always read from the database (another replica may have published one).
 */
@Injectable()
export class DefinitionsService {
  private readonly cache = new Map<string, ApprovalDefinition>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: DirectoryReplica,
  ) {}

  /** The newest version for a submission kind: what a new instance starts on. */
  async latest(manager: EntityManager, kind: string): Promise<ApprovalDefinition> {
    const row = await manager.findOne(PublishedDefinition, { where: { key: kind }, order: { version: 'DESC' } });
    if (!row) throw new DomainError('INVALID_CHAIN', `no approval definition for ${kind}`);
    return this.remember(row);
  }

  /** One version, for an instance that runs on it; a missing version is a broken chain, not a 404. */
  async get(manager: EntityManager, key: string, version: number): Promise<ApprovalDefinition> {
    const cached = this.cache.get(cacheKey(key, version));
    if (cached) return cached;
    const row = await manager.findOneBy(PublishedDefinition, { key, version });
    if (!row) throw new DomainError('INVALID_CHAIN', `definition ${key} v${version} is not available`);
    return this.remember(row);
  }

  /** The newest version of each kind, or with `all` every version; in the order of the kinds, then by version. */
  async list(all: boolean): Promise<PublishedDefinition[]> {
    const query = this.dataSource.manager.createQueryBuilder(PublishedDefinition, 'd');
    if (!all) query.where('d.version = (SELECT max(n.version) FROM definitions n WHERE n.key = d.key)');
    const order = (key: string) => (approvalKinds as readonly string[]).indexOf(key);
    return (await query.getMany()).sort((a, b) => order(a.key) - order(b.key) || a.version - b.version);
  }

  async find(key: string, version: number): Promise<PublishedDefinition> {
    const row = await this.dataSource.manager.findOneBy(PublishedDefinition, { key, version });
    if (!row) throw new DomainError('NOT_FOUND', `no definition ${key} version ${version}`);
    return row;
  }

  /**
   * Publishes `draft` as the next version of its kind, or refuses it with every problem at once.
   * A known organisation is one workflow's replica of the directory holds: one an admin added in
   * intake a moment ago is known as soon as its message has arrived.
   */
  async publish(principal: Principal, draft: DefinitionDraft, now = new Date()): Promise<PublishedDefinition> {
    const problems = validateDefinition(draft, await this.directory.organisationCodes(this.dataSource.manager));
    if (problems.length) throw new RequestValidationError(problems);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          const { max } = (await manager
            .createQueryBuilder(PublishedDefinition, 'd')
            .select('coalesce(max(d.version), 0)', 'max')
            .where('d.key = :key', { key: draft.key })
            .getRawOne<{ max: number }>()) ?? { max: 0 };
          const definition = toDefinition(draft, Number(max) + 1);
          const row = manager.create(PublishedDefinition, {
            ...definition,
            steps: [...definition.steps],
            committedLimitBusinessDays: definition.committedLimitBusinessDays ?? null,
            remindBeforeBusinessDays: definition.remindBeforeBusinessDays ?? null,
            publishedAt: now,
            publishedBy: principal.name,
          });
          // insert, not save: an existing (key, version) must fail, never be overwritten.
          await manager.insert(PublishedDefinition, row);
          return row;
        });
      } catch (error) {
        const raced = error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
        if (!raced) throw error;
        if (attempt >= PUBLISH_ATTEMPTS) throw new DomainError('STALE_VERSION', `another version of ${draft.key} was published at the same time; publish again`);
      }
    }
  }

  private remember(row: PublishedDefinition): ApprovalDefinition {
    const committed = row.committedLimitBusinessDays === null ? {} : { committedLimitBusinessDays: row.committedLimitBusinessDays };
    const remind = row.remindBeforeBusinessDays === null ? {} : { remindBeforeBusinessDays: row.remindBeforeBusinessDays };
    const definition: ApprovalDefinition = { key: row.key, version: row.version, name: row.name, steps: row.steps, ...committed, ...remind };
    this.cache.set(cacheKey(row.key, row.version), definition);
    return definition;
  }
}

const cacheKey = (key: string, version: number): string => `${key}@${version}`;
