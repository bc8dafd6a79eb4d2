import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { MaxDecimalPlaces } from '@shanhai/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const text = (max: number) => [IsString(), IsNotEmpty(), MaxLength(max)];
const apply = (...decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/** 四至: what a block reaches on each side (a road, a river, a village). */
export class BoundaryDto {
  @ApiProperty({ example: '东至S228省道' }) @apply(...text(200)) east!: string;
  @ApiProperty({ example: '南至松源街道工业园区边界' }) @apply(...text(200)) south!: string;
  @ApiProperty({ example: '西至松源溪' }) @apply(...text(200)) west!: string;
  @ApiProperty({ example: '北至屏都综合新区规划路' }) @apply(...text(200)) north!: string;
}

/** One block (区块) of the planned zone. */
export class BlockDto {
  @ApiProperty({ example: '屏都区块' }) @apply(...text(100)) name!: string;

  @ApiProperty({ description: 'Area in km², more than zero', example: 3.52, exclusiveMinimum: true, minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimalPlaces(4) @IsPositive() @Max(100)
  areaKm2!: number;

  @ApiProperty({ type: BoundaryDto })
  @IsObject() @ValidateNested() @Type(() => BoundaryDto)
  boundary!: BoundaryDto;
}

export class PlanContactDto {
  @ApiProperty({ example: '庆元县人民政府 开发区筹建办 林主任' }) @apply(...text(200)) name!: string;

  @ApiProperty({ format: 'email', example: 'qingyuan@county.shanhai.example' })
  @IsEmail() @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: '0578-6212345' })
  @IsOptional() @IsString() @Matches(/^[0-9+\-() ]{5,30}$/, { message: 'phone may hold digits, spaces and + - ( ) only' })
  phone?: string;
}

/** Qingyuan county's plan (庆元): the documented example; illustrative figures, not the real filing. */
export const qingyuanPlanExample = {
  zoneName: '浙江庆元经济开发区',
  blocks: [
    { name: '屏都区块', areaKm2: 3.52, boundary: { east: '东至S228省道', south: '南至松源街道工业园区边界', west: '西至松源溪', north: '北至屏都综合新区规划路' } },
    { name: '五大堡区块', areaKm2: 2.18, boundary: { east: '东至五大堡乡村道', south: '南至龙庆高速', west: '西至竹口溪', north: '北至山体' } },
  ],
  leadingIndustries: ['竹木制品', '生物医药'],
  landUseConformity: '开发区四至范围符合庆元县国土空间总体规划，不涉及永久基本农田和生态保护红线。',
  planEiaReviewRef: '丽环建〔2021〕12号（示例）',
  plannedInvestmentYi: 45.6,
  pairedZoneCode: 'keqiao',
  contact: { name: '庆元县人民政府 开发区筹建办 林主任', email: 'qingyuan@county.shanhai.example', phone: '0578-6212345' },
};

/** A zone creation plan (经济开发区创建方案) as the applicant county drafts it. */
export class ZonePlanRequest {
  @ApiProperty({ description: 'The zone the plan creates', example: qingyuanPlanExample.zoneName })
  @apply(...text(100))
  zoneName!: string;

  @ApiProperty({ type: [BlockDto], description: 'One to ten blocks; the total area is their sum', minItems: 1, maxItems: 10 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => BlockDto)
  blocks!: BlockDto[];

  @ApiProperty({ type: [String], description: 'One to three leading industries (主导产业)', minItems: 1, maxItems: 3, example: qingyuanPlanExample.leadingIndustries })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @ArrayUnique() @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(50, { each: true })
  leadingIndustries!: string[];

  @ApiProperty({ description: 'Statement of conformity with the land-use plan', example: qingyuanPlanExample.landUseConformity })
  @apply(...text(2000))
  landUseConformity!: string;

  @ApiProperty({ description: 'Reference of the review opinion on the plan-level environmental assessment (规划环评审查意见)', example: qingyuanPlanExample.planEiaReviewRef })
  @apply(...text(100))
  planEiaReviewRef!: string;

  @ApiPropertyOptional({ description: 'Planned investment in 亿元 (100 million yuan)', example: 45.6, minimum: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimalPlaces(2) @Min(0) @Max(100000)
  plannedInvestmentYi?: number;

  @ApiPropertyOptional({ description: 'The paired advanced zone (结对开发区), a directory code; it is told of the decision', example: 'keqiao' })
  @IsOptional() @Matches(/^[a-z][a-z0-9-]{1,63}$/, { message: 'pairedZoneCode must be a directory code such as keqiao' })
  pairedZoneCode?: string;

  @ApiProperty({ type: PlanContactDto })
  @IsObject() @ValidateNested() @Type(() => PlanContactDto)
  contact!: PlanContactDto;
}

/** An edit of a draft: any subset of the plan's fields. */
export class ZonePlanPatch extends PartialType(ZonePlanRequest) {}
