import { ApiProperty } from '@nestjs/swagger';
import { SubmissionCommonResponse } from '../../submissions/dto/submission.response.js';
import { EventContactDto, qingyuanEventExample as ex } from './promotion-event.request.js';

/** An event as its readers see it: the common submission fields and the event's own. */
export class PromotionEventResponse extends SubmissionCommonResponse {
  @ApiProperty({ example: ex.title }) title!: string;
  @ApiProperty({ example: ex.theme }) theme!: string;
  @ApiProperty({ format: 'date', example: ex.date }) date!: string;
  @ApiProperty({ example: ex.venue }) venue!: string;
  @ApiProperty({ example: ex.hostUnit }) hostUnit!: string;
  @ApiProperty({ description: 'Reviews the first step.', example: ex.hostOrganisationCode }) hostOrganisationCode!: string;
  @ApiProperty({ type: [String], example: ex.coOrganisers }) coOrganisers!: string[];
  @ApiProperty({ type: [String], example: ex.supportingUnits }) supportingUnits!: string[];
  @ApiProperty({ example: ex.pairedCountyCode }) pairedCountyCode!: string;
  @ApiProperty({ type: 'string', nullable: true, example: ex.pairedZoneCode }) pairedZoneCode!: string | null;
  @ApiProperty({ example: ex.targetIndustryChain }) targetIndustryChain!: string;
  @ApiProperty({ type: 'integer', example: ex.expectedParticipants }) expectedParticipants!: number;
  @ApiProperty({ type: [String], example: ex.invitedOfficials }) invitedOfficials!: string[];
  @ApiProperty({ description: '万元', example: ex.budgetWan }) budgetWan!: number;
  @ApiProperty({ example: ex.budgetSource }) budgetSource!: string;
  @ApiProperty({ example: ex.securityPlan }) securityPlan!: string;
  @ApiProperty({ type: EventContactDto }) contact!: EventContactDto;
}

export class PromotionEventListResponse {
  @ApiProperty({ type: [PromotionEventResponse], description: 'Newest first.' }) items!: PromotionEventResponse[];
  @ApiProperty({ description: 'How many match, over all pages.', type: 'integer', example: 1 }) total!: number;
}
