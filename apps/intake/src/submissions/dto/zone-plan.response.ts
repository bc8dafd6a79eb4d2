import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Submission } from '../submission.entity.js';
import { BlockDto, PlanContactDto } from './zone-plan.request.js';
import { SubmissionCommonResponse, toCommonResponse } from './submission.response.js';

/** The content a zone plan keeps in `submissions.content`. */
export interface ZonePlanContent {
  blocks: BlockDto[];
  leadingIndustries: string[];
  landUseConformity: string;
  planEiaReviewRef: string;
  plannedInvestmentYi: number | null;
}

export class ZonePlanResponse extends SubmissionCommonResponse {
  @ApiProperty({ example: '浙江庆元经济开发区' }) zoneName!: string;
  @ApiProperty({ type: [BlockDto] }) blocks!: BlockDto[];
  @ApiProperty({ description: 'The sum of the blocks, km²', example: 5.7 }) totalAreaKm2!: number;
  @ApiProperty({ type: [String], example: ['竹木制品', '生物医药'] }) leadingIndustries!: string[];
  @ApiProperty() landUseConformity!: string;
  @ApiProperty({ example: '丽环建〔2021〕12号（示例）' }) planEiaReviewRef!: string;
  @ApiProperty({ type: 'number', nullable: true, example: 45.6 }) plannedInvestmentYi!: number | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'keqiao' }) pairedZoneCode!: string | null;
  @ApiProperty({ type: PlanContactDto }) contact!: PlanContactDto;
}

export class ZonePlanListResponse {
  @ApiProperty({ type: [ZonePlanResponse] }) items!: ZonePlanResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) total!: number;
}

/** Areas are summed in ten-thousandths of a km², so 3.52 + 2.18 is 5.7 and not 5.699999. */
export const totalArea = (blocks: readonly { areaKm2: number }[]): number =>
  blocks.reduce((sum, b) => sum + Math.round(b.areaKm2 * 10_000), 0) / 10_000;

export function toZonePlanResponse(s: Submission): ZonePlanResponse {
  // Plans submitted before drafts existed carry no content: show them with empty plan fields.
  const c = { blocks: [], leadingIndustries: [], landUseConformity: '', planEiaReviewRef: '', plannedInvestmentYi: null, ...(s.content as Partial<ZonePlanContent>) };
  return {
    ...toCommonResponse(s),
    zoneName: s.title,
    blocks: c.blocks,
    totalAreaKm2: totalArea(c.blocks),
    leadingIndustries: c.leadingIndustries,
    landUseConformity: c.landUseConformity,
    planEiaReviewRef: c.planEiaReviewRef,
    plannedInvestmentYi: c.plannedInvestmentYi,
    pairedZoneCode: s.pairedZoneCode,
    contact: s.contact,
  };
}
