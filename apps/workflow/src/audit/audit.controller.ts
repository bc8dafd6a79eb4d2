import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, Roles } from '@shanhai/platform';
import { AuditService } from './audit.service.js';
import { AuditVerificationResponse, toAuditVerificationResponse } from './dto/audit-verification.response.js';

@ApiTags('audit')
@ApiBearerAuth('bearer')
@Roles('admin')
@ApiAuthProblems('Only admins verify the audit.')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify the hash chain of the whole audit trail',
    description:
      'Walks every audit entry in order, recomputing each hash and checking each link to the entry before it and each ' +
      "instance's numbering; answers ok, or the first entry that does not fit and why. Reads only. `npm run audit:verify` does the same from a shell.",
  })
  @ApiOkResponse({ type: AuditVerificationResponse, description: 'The verdict (a broken chain is a 200 too: the check itself succeeded).' })
  async verify(): Promise<AuditVerificationResponse> {
    return toAuditVerificationResponse(await this.audit.verify());
  }
}
