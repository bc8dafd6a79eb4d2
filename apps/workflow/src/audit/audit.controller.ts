import { Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, Roles } from '@shanhai/platform';
import type { Response } from 'express';
import { AuditCheckpoints } from './audit-checkpoints.service.js';
import { AuditService } from './audit.service.js';
import { AuditCheckpointOutcomeResponse, toCheckpointOutcomeResponse } from './dto/audit-checkpoint.response.js';
import { AuditVerificationResponse, toAuditVerificationResponse } from './dto/audit-verification.response.js';

@ApiTags('audit')
@ApiBearerAuth('bearer')
@Roles('admin')
@ApiAuthProblems('Only admins verify and checkpoint the audit.')
@Controller('admin/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: "Verify every instance's hash chain and every signed checkpoint",
    description:
      "Walks every audit entry, recomputing each hash and checking each link to its instance's entry before it and each instance's numbering; " +
      'checks each signed checkpoint (link, heads, hash, signature) and that every chain head a checkpoint recorded is still there. Answers ok, or the ' +
      'first entry that does not fit and why. Reads only. `npm run audit:verify` does the same from a shell.',
  })
  @ApiOkResponse({ type: AuditVerificationResponse, description: 'The verdict (a broken chain is a 200 too: the check itself succeeded).' })
  async verify(): Promise<AuditVerificationResponse> {
    return toAuditVerificationResponse(await this.audit.verify());
  }

  @Post('checkpoints')
  @ApiOperation({
    summary: 'Sign a checkpoint of every chain head now',
    description:
      'What every replica does each AUDIT_CHECKPOINT_MS: records the last entry of every instance whose chain advanced since the last checkpoint, ' +
      'links the checkpoint to the one before and signs it with the first AUDIT_SIGNING_KEYS key. From then on, deleting or cutting short those chains is detected.',
  })
  @ApiCreatedResponse({ type: AuditCheckpointOutcomeResponse, description: 'A checkpoint was made (`created`).' })
  @ApiOkResponse({ type: AuditCheckpointOutcomeResponse, description: 'None was made: `nothing to checkpoint`, or `busy` (another replica is making one).' })
  async checkpoint(@Res({ passthrough: true }) res: Response): Promise<AuditCheckpointOutcomeResponse> {
    const outcome = await this.checkpoints.checkpoint();
    if (outcome.outcome !== 'created') res.status(HttpStatus.OK);
    return toCheckpointOutcomeResponse(outcome);
  }
}
