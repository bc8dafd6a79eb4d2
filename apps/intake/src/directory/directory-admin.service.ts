import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, RequestValidationError, type FieldProblem } from '@shanhai/platform';
import type { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import { DirectoryPublisher } from './directory-publisher.js';
import { AdvancedZoneRecord, CityRecord, CountyRecord, OrganisationRecord, PairingRecord } from './directory.entities.js';
import type { PutCountyRequest, PutOrganisationRequest, PutPairingRequest, PutZoneRequest } from './dto/directory-admin.request.js';

/** What a create-or-replace did, and the record as it now stands. */
export interface Put<T> {
  readonly record: T;
  readonly created: boolean;
}

/**
 * Admins' changes to the directory. Every PUT creates or replaces a whole record; the codes it names
 * must be in the directory, and every one that is not is reported at once.
 */
@Injectable()
export class DirectoryAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: DirectoryPublisher,
  ) {}

  putCounty(code: string, body: PutCountyRequest): Promise<Put<CountyRecord & { cityName: string }>> {
    return this.dataSource.transaction(async (m) => {
      const city = await m.findOneBy(CityRecord, { code: body.cityCode });
      if (!city) throw new RequestValidationError([{ field: 'cityCode', message: `no city has the code ${body.cityCode}` }]);
      const fields = { name: body.name, cityCode: body.cityCode, validFrom: body.validFrom, validTo: body.validTo ?? null };
      const created = await createOrReplace(m, CountyRecord, { code }, fields);
      return { record: { code, ...fields, cityName: city.name }, created };
    });
  }

  putZone(code: string, body: PutZoneRequest): Promise<Put<AdvancedZoneRecord>> {
    return this.dataSource.transaction(async (m) => {
      const fields = { name: body.name, cityName: body.cityName, email: body.email };
      return { record: { code, ...fields }, created: await createOrReplace(m, AdvancedZoneRecord, { code }, fields) };
    });
  }

  /** A pair an admin creates is `admin`'s; one they edit keeps its source, so the article's pairs stay labelled as such. */
  putPairing(countyCode: string, zoneCode: string, body: PutPairingRequest): Promise<Put<PairingRecord>> {
    return this.dataSource.transaction(async (m) => {
      const problems = [
        ...(await missing(m, CountyRecord, 'countyCode', countyCode, 'county')),
        ...(await missing(m, AdvancedZoneRecord, 'zoneCode', zoneCode, 'advanced zone')),
      ];
      if (problems.length) throw new RequestValidationError(problems);
      const fields = { platformName: body.platformName ?? null, note: body.note };
      const created = await createOrReplace(m, PairingRecord, { countyCode, zoneCode }, fields, { source: 'admin' });
      return { record: await m.findOneByOrFail(PairingRecord, { countyCode, zoneCode }), created };
    });
  }

  async deletePairing(countyCode: string, zoneCode: string): Promise<void> {
    const { affected } = await this.dataSource.manager.delete(PairingRecord, { countyCode, zoneCode });
    if (!affected) throw new DomainError('NOT_FOUND', `${countyCode} and ${zoneCode} are not paired`);
  }

  putOrganisation(code: string, body: PutOrganisationRequest): Promise<Put<OrganisationRecord>> {
    return this.dataSource.transaction(async (m) => {
      const cityCode = body.cityCode ?? null;
      const problems = cityCode
        ? await missing(m, CityRecord, 'cityCode', cityCode, 'city')
        : body.kind === 'city_commerce_bureau'
          ? [{ field: 'cityCode', message: 'a city_commerce_bureau needs the city it serves' }]
          : [];
      if (problems.length) throw new RequestValidationError(problems);
      const fields = { name: body.name, kind: body.kind, cityCode, email: body.email };
      const created = await createOrReplace(m, OrganisationRecord, { code }, fields);
      await this.publisher.organisationChanged(m, code);
      return { record: await m.findOneByOrFail(OrganisationRecord, { code }), created };
    });
  }
}

/** The problem with `field` when no `what` has the code `value`. */
async function missing<T extends ObjectLiteral & { code: string }>(
  m: EntityManager,
  entity: EntityTarget<T>,
  field: string,
  value: string,
  what: string,
): Promise<FieldProblem[]> {
  const found = await m.existsBy(entity, { code: value } as FindOptionsWhere<T>);
  return found ? [] : [{ field, message: `no ${what} has the code ${value}` }];
}

/**
 * Inserts the record `key` + `fields` (+ `onCreate`), or when `key` is taken writes `fields` over it;
 * true when it inserted. A concurrent insert of the same key makes this one wait for the other
 * transaction, then update: two PUTs of one new code never fail, and only one answers 201.
 */
async function createOrReplace<T extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<T>,
  key: Partial<T>,
  fields: Partial<T>,
  onCreate: Partial<T> = {},
): Promise<boolean> {
  const row = { ...key, ...onCreate, ...fields } as QueryDeepPartialEntity<T>;
  const inserted = await m.createQueryBuilder().insert().into(entity).values(row).orIgnore().returning('1 AS inserted').execute();
  if ((inserted.raw as unknown[]).length > 0) return true;
  await m.update(entity, key, fields);
  return false;
}
