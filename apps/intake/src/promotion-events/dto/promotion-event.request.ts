import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { MaxDecimalPlaces } from '@shanhai/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const text = (max: number): PropertyDecorator[] => [IsString(), IsNotEmpty(), MaxLength(max)];
const texts = (maxItems: number, max: number): PropertyDecorator[] => [
  IsOptional(),
  IsArray(),
  ArrayMaxSize(maxItems),
  IsString({ each: true }),
  IsNotEmpty({ each: true }),
  MaxLength(max, { each: true }),
];
const apply = (...decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));
const CODE = /^[a-z][a-z0-9-]{1,63}$/;
const code = (field: string, example: string): PropertyDecorator => Matches(CODE, { message: `${field} must be a directory code such as ${example}` });

/**
 * Qingyuan county's event: the documented example, valid as it stands for the demo account
 * `qingyuan`. Illustrative: it is modelled on the checked province-wide industry-chain mountain–sea
 * meeting held in Qingtian (青田) on 2022-06-29, moved to Qingyuan and to the same day of 2027 so
 * that it can still be submitted (a submitted event may not lie in the past). Names, figures and
 * the host bureau's choice are invented for the demo; 丽水市商务局 hosts so that its demo reviewer
 * sees the first step.
 */
export const qingyuanEventExample = {
  title: '山海协作·庆元生态工业产业链招商推介会',
  theme: '以竹木制品、食用菌精深加工和汽车零部件为重点，推动庆元与结对开发区的产业链协作招商（示例）',
  date: '2027-06-29',
  venue: '庆元县会展中心（示例）',
  hostUnit: '丽水市商务局',
  hostOrganisationCode: 'lishui-commerce',
  coOrganisers: ['庆元县人民政府', '庆元县商务局'],
  supportingUnits: ['绍兴柯桥经济技术开发区管委会（结对开发区）', '庆元县工商业联合会'],
  pairedCountyCode: 'qingyuan',
  pairedZoneCode: 'keqiao',
  targetIndustryChain: '竹木制品产业链',
  expectedParticipants: 300,
  invitedOfficials: ['浙江省商务厅 副厅长（拟邀）', '丽水市人民政府 副市长（拟邀）'],
  budgetWan: 45.5,
  budgetSource: '庆元县本级财政山海协作专项资金（示例）',
  securityPlan: '会场实行实名制入场，县公安局负责安保和交通疏导，设医疗急救点一处，突发情况由县应急管理局统一指挥（示例）。',
  contact: { name: '庆元县商务局 招商科 吴科长', email: 'qingyuan@county.shanhai.example', phone: '0578-6123456' },
};

export class EventContactDto {
  @ApiProperty({ description: 'Who answers for the event; addressed by name in the emails.', maxLength: 200, example: qingyuanEventExample.contact.name })
  @apply(...text(200))
  name!: string;

  @ApiProperty({ description: 'Where the progress emails go.', format: 'email', maxLength: 254, example: qingyuanEventExample.contact.email })
  @IsEmail() @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ description: 'A telephone number: digits, spaces and + - ( ).', pattern: '^[0-9+\\-() ]{5,30}$', example: qingyuanEventExample.contact.phone })
  @IsOptional() @IsString() @Matches(/^[0-9+\-() ]{5,30}$/, { message: 'phone may hold digits, spaces and + - ( ) only (5 to 30)' })
  phone?: string;
}

/** An investment-promotion event (招商推介会) as the applicant county drafts it. */
export class PromotionEventRequest {
  @ApiProperty({ description: 'The event title (标题).', maxLength: 200, example: qingyuanEventExample.title })
  @apply(...text(200))
  title!: string;

  @ApiProperty({ description: 'The theme (主题).', maxLength: 500, example: qingyuanEventExample.theme })
  @apply(...text(500))
  theme!: string;

  @ApiProperty({
    description:
      'The day of the event (YYYY-MM-DD, China time). A draft may hold any date; submitting refuses a date before today (China time). ' +
      'The report can be filed from the day after.',
    format: 'date',
    example: qingyuanEventExample.date,
  })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a day as YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'date must be a real calendar day' })
  date!: string;

  @ApiProperty({ description: 'Where it takes place (地点).', maxLength: 200, example: qingyuanEventExample.venue })
  @apply(...text(200))
  venue!: string;

  @ApiProperty({ description: 'The host unit (主办单位), as it is to be printed.', maxLength: 200, example: qingyuanEventExample.hostUnit })
  @apply(...text(200))
  hostUnit!: string;

  @ApiProperty({
    description: "The directory code of the host's organisation: it reviews the first step (主办单位审核). Must be an organisation of `GET /directory/organisations`.",
    pattern: CODE.source,
    example: qingyuanEventExample.hostOrganisationCode,
  })
  @code('hostOrganisationCode', 'lishui-commerce')
  hostOrganisationCode!: string;

  @ApiPropertyOptional({ description: 'Co-organisers (承办单位), 0 to 10; none when absent.', type: [String], maxItems: 10, example: qingyuanEventExample.coOrganisers })
  @apply(...texts(10, 200))
  coOrganisers?: string[];

  @ApiPropertyOptional({ description: 'Supporting units (协办单位), 0 to 10; none when absent.', type: [String], maxItems: 10, example: qingyuanEventExample.supportingUnits })
  @apply(...texts(10, 200))
  supportingUnits?: string[];

  @ApiPropertyOptional({
    description: "The paired mountain county, a directory county on today's list; the applicant's own county when absent.",
    pattern: CODE.source,
    example: qingyuanEventExample.pairedCountyCode,
  })
  @IsOptional() @code('pairedCountyCode', 'qingyuan')
  pairedCountyCode?: string;

  @ApiProperty({ description: 'The paired advanced zone (结对开发区), a directory code; it is told of the decision.', pattern: CODE.source, example: qingyuanEventExample.pairedZoneCode })
  @code('pairedZoneCode', 'keqiao')
  pairedZoneCode!: string;

  @ApiProperty({ description: 'The industry chain the event targets (目标产业链).', maxLength: 100, example: qingyuanEventExample.targetIndustryChain })
  @apply(...text(100))
  targetIndustryChain!: string;

  @ApiProperty({ description: 'Expected participants, 1 to 100 000.', type: 'integer', minimum: 1, maximum: 100_000, example: qingyuanEventExample.expectedParticipants })
  @IsInt() @Min(1) @Max(100_000)
  expectedParticipants!: number;

  @ApiPropertyOptional({ description: 'Officials invited (拟邀领导), 0 to 50; none when absent.', type: [String], maxItems: 50, example: qingyuanEventExample.invitedOfficials })
  @apply(...texts(50, 200))
  invitedOfficials?: string[];

  @ApiProperty({ description: 'Budget in 万元 (10 000 yuan), at least 0, to the yuan (two decimals).', minimum: 0, maximum: 1_000_000, example: qingyuanEventExample.budgetWan })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimalPlaces(2) @Min(0) @Max(1_000_000)
  budgetWan!: number;

  @ApiProperty({ description: 'Where the budget comes from (经费来源).', maxLength: 200, example: qingyuanEventExample.budgetSource })
  @apply(...text(200))
  budgetSource!: string;

  @ApiProperty({ description: 'The security plan (安全保卫方案).', maxLength: 5000, example: qingyuanEventExample.securityPlan })
  @apply(...text(5000))
  securityPlan!: string;

  @ApiProperty({ type: EventContactDto, description: "The applicant's contact: told when the event enters each step and when it is decided." })
  @IsObject() @ValidateNested() @Type(() => EventContactDto)
  contact!: EventContactDto;
}

/**
 * An edit of a draft: any subset of the fields; a given `contact` replaces the whole contact.
 * Null is refused for every field (the service says which): absent means unchanged.
 */
export class PromotionEventPatch extends PartialType(PromotionEventRequest) {
  @ApiPropertyOptional({ description: 'The version the edit is based on (or send `If-Match`); 409 when the draft has changed since.', type: 'integer', minimum: 1, example: 1 })
  @IsOptional() @IsInt() @Min(1)
  version?: number;
}
