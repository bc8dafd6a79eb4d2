import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AdvancedZoneRecord, CityRecord, CountyRecord, OrganisationRecord, PairingRecord } from './directory.entities.js';

/** Reads of the directory; every list is small (tens of rows) and returned whole. */
@Injectable()
export class DirectoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async counties(on?: string): Promise<(CountyRecord & { cityName: string })[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(CountyRecord, 'c')
      .innerJoinAndMapOne('c.city', CityRecord, 'city', 'city.code = c.cityCode')
      .orderBy('c.cityCode')
      .addOrderBy('c.code');
    if (on) query.where('c.validFrom <= :on AND (c.validTo IS NULL OR c.validTo > :on)', { on });
    const rows = await query.getMany();
    return rows.map((c) => ({ ...c, cityName: (c as CountyRecord & { city: CityRecord }).city.name }));
  }

  zones(): Promise<AdvancedZoneRecord[]> {
    return this.dataSource.manager.find(AdvancedZoneRecord, { order: { code: 'ASC' } });
  }

  pairings(): Promise<PairingRecord[]> {
    return this.dataSource.manager.find(PairingRecord, { order: { countyCode: 'ASC', zoneCode: 'ASC' } });
  }

  organisations(): Promise<OrganisationRecord[]> {
    return this.dataSource.manager.find(OrganisationRecord, { order: { kind: 'ASC', code: 'ASC' } });
  }

  // What the other features ask of the directory, in their own transaction (`m`): they see its
  // answers, never its tables.

  /** The county with its city, if it is one of the mountain counties on `on` (a China date). */
  async countyOn(m: EntityManager, code: string, on: string): Promise<{ county: CountyRecord; city: CityRecord } | null> {
    const county = await m
      .createQueryBuilder(CountyRecord, 'c')
      .where('c.code = :code AND c.validFrom <= :on AND (c.validTo IS NULL OR c.validTo > :on)', { code, on })
      .getOne();
    const city = county && (await m.findOneBy(CityRecord, { code: county.cityCode }));
    return county && city ? { county, city } : null;
  }

  zone(m: EntityManager, code: string): Promise<AdvancedZoneRecord | null> {
    return m.findOneBy(AdvancedZoneRecord, { code });
  }

  /** Whether the directory pairs the county with the advanced zone (山海协作结对). */
  paired(m: EntityManager, countyCode: string, zoneCode: string): Promise<boolean> {
    return m.existsBy(PairingRecord, { countyCode, zoneCode });
  }

  /** The zones paired with a county, by code. */
  async pairedZones(m: EntityManager, countyCode: string): Promise<string[]> {
    return (await m.find(PairingRecord, { where: { countyCode }, order: { zoneCode: 'ASC' } })).map((p) => p.zoneCode);
  }

  /** The commerce bureau serving a prefecture city: the first reviewer of its counties' plans. */
  cityCommerceBureau(m: EntityManager, cityCode: string): Promise<OrganisationRecord | null> {
    return m.findOne(OrganisationRecord, { where: { kind: 'city_commerce_bureau', cityCode }, order: { code: 'ASC' } });
  }
}
