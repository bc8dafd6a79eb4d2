import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** What an applicant may add when submitting or withdrawing: why. The body is optional. */
export class ApplicantNoteRequest {
  @ApiPropertyOptional({
    description:
      'Why. On a resubmission after a return: why the deficiencies named stand as they are (a corrected revision that changes none of them is refused without one); recorded in the timeline and the audit and shown to the reviewers. On a withdrawal: why the applicant withdraws; the reviewers of the step are told.',
    maxLength: 2000,
    example: '区块面积经自然资源部门复核无误，附复核说明。',
  })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000)
  reason?: string;
}

/** The optional body of submit and withdraw, with an example of each use. */
export const applicantNoteBody = {
  type: ApplicantNoteRequest,
  required: false,
  examples: {
    none: { summary: 'No note: a first submission, or a correction that deals with the notice', value: {} },
    resubmission: { summary: 'A resubmission that leaves a deficiency as it was, and why', value: { reason: '区块面积经自然资源部门复核无误，附复核说明。' } },
    withdrawal: { summary: 'A withdrawal, and why', value: { reason: '规划调整，撤回重新编制。' } },
  },
};
