import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, CurrentUser, malformedIdProblem, Roles, type Principal } from '@shanhai/platform';
import { AuditService } from '../audit/audit.service.js';
import { AuditEntryResponse, toAuditEntryResponse } from '../audit/dto/audit-entry.response.js';
import { DiffQuery } from './dto/diff.query.js';
import { InstanceResponse, toInstanceResponse } from './dto/instance.response.js';
import { RevisionDiffResponse } from './dto/revision-diff.response.js';
import { InstanceQueries } from './instance-queries.service.js';

const instanceId = { name: 'id', description: 'The approval instance id.', format: 'uuid', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' };
const notFound = { status: 404, description: 'No instance has this id (`NOT_FOUND`).' } as const;

@ApiTags('instances')
@ApiBearerAuth('bearer')
@Roles('reviewer', 'admin')
@ApiProblemResponses({ status: 401, description: 'No valid access token.' }, { status: 403, description: 'Not a reviewer or an admin.' })
@Controller('instances')
export class InstancesController {
  constructor(
    private readonly instances: InstanceQueries,
    private readonly auditTrail: AuditService,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'Get an approval instance with its tasks' })
  @ApiParam(instanceId)
  @ApiOkResponse({ type: InstanceResponse, description: 'The instance and its tasks so far.' })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<InstanceResponse> {
    return toInstanceResponse(await this.instances.get(principal, id));
  }

  /**
   * The instance's audit entries, oldest first: who did what, the state change, and the domain
   * event (`data`) from which the state is rebuilt. Each entry is hash-chained into the whole
   * trail, which `POST /admin/audit/verify` checks.
   */
  @Get(':id/audit')
  @ApiOperation({ summary: "An instance's audit trail: its hash-chained entries, in order" })
  @ApiParam(instanceId)
  @ApiOkResponse({ type: [AuditEntryResponse], description: 'The entries, oldest first.' })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async audit(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<AuditEntryResponse[]> {
    await this.instances.get(principal, id);
    return (await this.auditTrail.entriesOf(id)).map(toAuditEntryResponse);
  }

  /**
   * What the applicant changed between two revisions, field by field and attachment by
   * attachment; by default the revision under review against the one before it.
   */
  @Get(':id/diff')
  @ApiOperation({ summary: 'Compare two revisions of the submission, field by field' })
  @ApiParam(instanceId)
  @ApiOkResponse({ type: RevisionDiffResponse, description: 'Every changed field and attachment.' })
  @ApiProblemResponses(
    { status: 400, description: 'A revision number is not a whole number, or `from` is not earlier than `to` (`VALIDATION_FAILED`), or the id is not a UUID.' },
    { status: 404, description: 'No instance has this id, or it has no such revision (`NOT_FOUND`).' },
    { status: 409, description: 'A revision arrived without its content, from an older intake (`CONTENT_UNAVAILABLE`).' },
  )
  async diff(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: DiffQuery): Promise<RevisionDiffResponse> {
    return this.instances.diff(principal, id, query) as Promise<RevisionDiffResponse>;
  }
}
