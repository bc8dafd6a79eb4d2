import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/**
 * A reviewer's decision on a task. Until authentication lands, the reviewer names themselves;
 * the domain issue replaces `reviewer` with the signed-in user.
 */
export class DecideRequest {
  @IsIn(['approve', 'reject'])
  outcome!: 'approve' | 'reject';

  @IsString() @IsNotEmpty() @MaxLength(200)
  reviewer!: string;

  @IsOptional() @IsString() @MaxLength(2000)
  opinion?: string;

  /** Required when rejecting: the applicant is told why. */
  @ValidateIf((o: DecideRequest) => o.outcome === 'reject')
  @IsString() @IsNotEmpty({ message: 'reason is required when rejecting' }) @MaxLength(2000)
  reason?: string;
}
