import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrganisationKind } from '@shanhai/domain';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { organisationKinds } from '../directory.values.js';
import { DIRECTORY_CODE_PATTERN, IsAfterDateIn, IsCalendarDate, IsDirectoryCode } from './directory.params.js';

const text = (max: number) => [IsString(), IsNotEmpty(), MaxLength(max)];
const apply = (...decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));
const email = apply(IsEmail(), MaxLength(254));

/** Qingyuan as the seed holds it: PUT to /directory/counties/qingyuan, it replaces the county with itself. */
export const qingyuanCountyExample = { name: '庆元县', cityCode: 'lishui', validFrom: '2021-01-01', validTo: null };

/** A county of the mountain-county list, whole: PUT creates it or replaces every field. */
export class PutCountyRequest {
  @ApiProperty({ example: qingyuanCountyExample.name }) @apply(...text(50)) name!: string;

  @ApiProperty({ description: 'The prefecture city; it must be in the directory', example: 'lishui', pattern: DIRECTORY_CODE_PATTERN })
  @IsDirectoryCode()
  cityCode!: string;

  @ApiProperty({ format: 'date', description: 'On the list from this day', example: qingyuanCountyExample.validFrom })
  @IsCalendarDate()
  validFrom!: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, description: 'Off the list from this day (after validFrom); absent or null while it stays on it', example: null })
  @IsOptional() @IsCalendarDate() @IsAfterDateIn('validFrom')
  validTo?: string | null;
}

export const keqiaoZoneExample = { name: '绍兴柯桥经济技术开发区', cityName: '绍兴市', email: 'keqiao-zone@shanhai.example' };

/** An advanced development zone, whole. */
export class PutZoneRequest {
  @ApiProperty({ example: keqiaoZoneExample.name }) @apply(...text(100)) name!: string;
  @ApiProperty({ description: 'The city it lies in, as written', example: keqiaoZoneExample.cityName }) @apply(...text(50)) cityName!: string;
  @ApiProperty({ format: 'email', description: 'Where it is told of its paired counties’ decisions', example: keqiaoZoneExample.email }) @email email!: string;
}

export const suichangFuyangPairingExample = { platformName: '遂昌经济开发区', note: 'illustrative pair entered by an admin; not a real pairing' };

/** A county–zone pairing; who created it (`source`) is not the caller's to set. */
export class PutPairingRequest {
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'The mountain-side platform when it is not the county’s own zone', example: suichangFuyangPairingExample.platformName })
  @IsOptional() @apply(...text(100))
  platformName?: string | null;

  @ApiProperty({ description: 'Where the pair comes from, or anything a reader should know', example: suichangFuyangPairingExample.note })
  @apply(...text(500))
  note!: string;
}

export const lishuiCommerceExample = { name: '丽水市商务局', kind: 'city_commerce_bureau' as OrganisationKind, cityCode: 'lishui', email: 'lishui-commerce@shanhai.example' };

/** A reviewing organisation, whole. */
export class PutOrganisationRequest {
  @ApiProperty({ example: lishuiCommerceExample.name }) @apply(...text(100)) name!: string;

  @ApiProperty({ enum: organisationKinds, example: lishuiCommerceExample.kind })
  @IsIn(organisationKinds, { message: `kind must be one of ${organisationKinds.join(', ')}` })
  kind!: OrganisationKind;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    description: 'The prefecture city: required for a `city_commerce_bureau`, and it must be in the directory',
    example: lishuiCommerceExample.cityCode,
    pattern: DIRECTORY_CODE_PATTERN,
  })
  @IsOptional() @IsDirectoryCode()
  cityCode?: string | null;

  @ApiProperty({ format: 'email', description: 'Where its review tasks are announced', example: lishuiCommerceExample.email }) @email email!: string;
}
