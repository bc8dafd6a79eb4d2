import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
}
