import { ApiProperty } from '@nestjs/swagger';
import type { AdvancedZoneRecord, CountyRecord, OrganisationRecord, PairingRecord } from '../directory.entities.js';
import { organisationKinds, pairingSources } from '../directory.values.js';

export class CityRefResponse {
  @ApiProperty({ example: 'lishui' }) code!: string;
  @ApiProperty({ example: '丽水市' }) name!: string;
}

export class CountyResponse {
  @ApiProperty({ example: 'qingyuan' }) code!: string;
  @ApiProperty({ example: '庆元县' }) name!: string;
  @ApiProperty({ type: CityRefResponse }) city!: CityRefResponse;
  @ApiProperty({ format: 'date', description: 'On the list from this day', example: '2021-01-01' }) validFrom!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Off the list from this day; null while it is on it', example: null })
  validTo!: string | null;
}

export class CountyListResponse {
  @ApiProperty({ type: [CountyResponse] }) items!: CountyResponse[];
}

export class ZoneResponse {
  @ApiProperty({ example: 'keqiao' }) code!: string;
  @ApiProperty({ example: '绍兴柯桥经济技术开发区' }) name!: string;
  @ApiProperty({ example: '绍兴市' }) cityName!: string;
  @ApiProperty({ format: 'email', example: 'keqiao-zone@shanhai.example' }) email!: string;
}

export class ZoneListResponse {
  @ApiProperty({ type: [ZoneResponse] }) items!: ZoneResponse[];
}

export class PairingResponse {
  @ApiProperty({ example: 'jiangshan' }) countyCode!: string;
  @ApiProperty({ example: 'keqiao' }) zoneCode!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The mountain-side platform when it is not the county’s own zone', example: null })
  platformName!: string | null;
  @ApiProperty({
    enum: pairingSources,
    description: '`article-2022`: named by the 2022 article (not confirmed elsewhere); `demo`: illustrative, for the local demo; `admin`: added by an admin',
    example: 'article-2022',
  })
  source!: string;
  @ApiProperty({ example: 'per the 2022 article (not confirmed elsewhere)' }) note!: string;
}

export class PairingListResponse {
  @ApiProperty({ type: [PairingResponse] }) items!: PairingResponse[];
}

export class OrganisationResponse {
  @ApiProperty({ example: 'lishui-commerce' }) code!: string;
  @ApiProperty({ example: '丽水市商务局' }) name!: string;
  @ApiProperty({ enum: organisationKinds, example: 'city_commerce_bureau' }) kind!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The prefecture city of a city bureau', example: 'lishui' }) cityCode!: string | null;
  @ApiProperty({ format: 'email', example: 'lishui-commerce@shanhai.example' }) email!: string;
}

export class OrganisationListResponse {
  @ApiProperty({ type: [OrganisationResponse] }) items!: OrganisationResponse[];
}

export const toCountyResponse = (c: CountyRecord & { cityName: string }): CountyResponse => ({
  code: c.code,
  name: c.name,
  city: { code: c.cityCode, name: c.cityName },
  validFrom: c.validFrom,
  validTo: c.validTo,
});

export const toZoneResponse = (z: AdvancedZoneRecord): ZoneResponse => ({ code: z.code, name: z.name, cityName: z.cityName, email: z.email });

export const toPairingResponse = (p: PairingRecord): PairingResponse => ({
  countyCode: p.countyCode,
  zoneCode: p.zoneCode,
  platformName: p.platformName,
  source: p.source,
  note: p.note,
});

export const toOrganisationResponse = (o: OrganisationRecord): OrganisationResponse => ({
  code: o.code,
  name: o.name,
  kind: o.kind,
  cityCode: o.cityCode,
  email: o.email,
});
