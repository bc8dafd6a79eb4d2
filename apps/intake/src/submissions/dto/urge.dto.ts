import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { UrgeResult } from '../urges.service.js';

/** What an applicant may add to an urge (催办). The body is optional. */
export class UrgeRequest {
  @ApiPropertyOptional({ description: "A word for the step's reviewers; shown in the timeline, the audit and their email.", maxLength: 500, example: '项目落地时间紧，恳请尽快审核。' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500)
  note?: string;
}

export class UrgeResponse {
  @ApiProperty({ format: 'uuid' })
  submissionId!: string;

  @ApiProperty({ description: 'The revision under review that was urged.', example: 1 })
  revision!: number;

  @ApiProperty({ description: 'The China date (Asia/Shanghai) of the urge: the next one is allowed from the following date.', example: '2026-09-29' })
  urgedOn!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export const toUrgeResponse = (r: UrgeResult): UrgeResponse => ({ submissionId: r.submissionId, revision: r.revision, urgedOn: r.urgedOn, note: r.note, at: r.at.toISOString() });
