import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, malformedIdProblem, Roles, type Principal } from '@shanhai/platform';
import type { Response } from 'express';
import { ApiIfMatch, etagHeader, etagOf, expectedVersion, staleVersionMembers, versionToCheck } from '../http/if-match.js';
import { ListSubmissionsQuery } from './dto/list-submissions.query.js';
import { submissionStatusMembers } from './dto/submission.problems.js';
import { TimelineResponse, toTimelineResponse } from './dto/submission.response.js';
import { qingyuanPlanExample, ZonePlanPatch, ZonePlanRequest } from './dto/zone-plan.request.js';
import { toZonePlanResponse, ZonePlanListResponse, ZonePlanResponse } from './dto/zone-plan.response.js';
import { SubmissionsService } from './submissions.service.js';
import { ZonePlansService } from './zone-plans.service.js';
import { applicantNoteBody, ApplicantNoteRequest } from './dto/applicant-note.request.js';
import { toUrgeResponse, UrgeRequest, UrgeResponse } from './dto/urge.dto.js';
import { urgeDocs } from './urge.docs.js';
import { UrgesService } from './urges.service.js';

const idParam = ApiParam({ name: 'id', description: 'The plan id.', format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' });
const notFound = { status: 404 as const, description: 'No plan with this id that you may see (`NOT_FOUND`).' };
const etag = etagHeader('The plan');

@ApiTags('zone-plans')
@ApiBearerAuth('bearer')
@ApiAuthProblems()
@Controller('zone-plans')
export class ZonePlansController {
  constructor(
    private readonly plans: ZonePlansService,
    private readonly submissions: SubmissionsService,
    private readonly urges: UrgesService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @ApiOperation({ summary: 'Draft a zone creation plan', description: "A draft for the signed-in applicant's county; edit it, attach the documents, then submit it." })
  @ApiBody({ type: ZonePlanRequest, examples: { qingyuan: { summary: "Qingyuan county's plan for 浙江庆元经济开发区", value: qingyuanPlanExample } } })
  @ApiCreatedResponse({ type: ZonePlanResponse, headers: etag })
  @ApiProblemResponses({ status: 400, description: 'Every invalid or unknown field is listed in `errors`.' }, 413)
  async create(@CurrentUser() principal: Principal, @Body() body: ZonePlanRequest, @Res({ passthrough: true }) res: Response): Promise<ZonePlanResponse> {
    const plan = await this.plans.create(principal, body);
    res.setHeader('ETag', etagOf(plan.version));
    return toZonePlanResponse(plan);
  }

  @Get()
  @ApiOperation({ summary: 'The plans you may see', description: "Applicants see their county's; reviewers those assigned to their organisation; stakeholders those of their zone." })
  @ApiOkResponse({ type: ZonePlanListResponse })
  @ApiProblemResponses({ status: 400, description: 'A query parameter is not valid.' })
  async list(@CurrentUser() principal: Principal, @Query() query: ListSubmissionsQuery): Promise<ZonePlanListResponse> {
    const { items, total } = await this.submissions.list(principal, { kind: 'zone_plan', limit: query.limit ?? 50, offset: query.offset ?? 0, ...(query.status ? { status: query.status } : {}) });
    return { items: items.map(toZonePlanResponse), total };
  }

  @Get(':id')
  @idParam
  @ApiOperation({ summary: 'One plan' })
  @ApiOkResponse({ type: ZonePlanResponse, headers: etag })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response): Promise<ZonePlanResponse> {
    const plan = await this.submissions.findReadable(principal, id, 'zone_plan');
    res.setHeader('ETag', etagOf(plan.version));
    return toZonePlanResponse(plan);
  }

  @Patch(':id')
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @idParam
  @ApiIfMatch('The ETag of the plan you edited: if the plan changed since, the edit is refused (409 `STALE_VERSION`, with `currentVersion`). Absent: no check.')
  @ApiOperation({ summary: 'Edit a draft plan', description: 'Only the fields sent change; null clears an optional field. A plan is editable while a draft or returned for correction (`returned`); under review it is read-only.' })
  @ApiBody({ type: ZonePlanPatch, examples: { industries: { summary: 'Change the leading industries', value: { leadingIndustries: ['竹木制品', '生物医药', '数字经济'] } } } })
  @ApiOkResponse({ type: ZonePlanResponse, headers: etag })
  @ApiProblemResponses(
    { status: 400, description: 'A field is not valid, unknown, or null where required, `If-Match` is malformed (`VALIDATION_FAILED`, every problem listed in `errors`), or the id is not a UUID.' },
    notFound,
    {
      status: 409,
      description: 'The plan is neither a draft nor returned for correction (`NOT_EDITABLE`, with `submissionStatus`), or its withdrawal was requested and awaits the review (`WITHDRAWAL_PENDING`), or it changed since the `If-Match` given (`STALE_VERSION`, with `currentVersion`).',
      extensions: { ...submissionStatusMembers, ...staleVersionMembers },
    },
    413,
  )
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ZonePlanPatch,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ZonePlanResponse> {
    const plan = await this.plans.update(principal, id, body, versionToCheck(expectedVersion(undefined, ifMatch)));
    res.setHeader('ETag', etagOf(plan.version));
    return toZonePlanResponse(plan);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @idParam
  @ApiOperation({ summary: 'Submit the plan for review', description: 'Freezes it as the next revision and starts its review. Every required attachment must be there. A plan returned for correction (`returned`) is submitted again the same way: its corrected revision re-enters review at the step that returned it, and its correction notice is cleared.' })
  @ApiOkResponse({ type: ZonePlanResponse, headers: etag })
  @ApiProblemResponses(
    malformedIdProblem,
    notFound,
    { status: 409, description: 'Neither a draft nor returned for correction (`NOT_EDITABLE`, with `submissionStatus`), or its withdrawal was requested and awaits the review (`WITHDRAWAL_PENDING`).', extensions: submissionStatusMembers },
    { status: 422, description: 'Attachments missing (`ATTACHMENTS_MISSING`); `errors` lists each, e.g. `attachments.feasibility_report`. A resubmission after a return changes nothing the correction notice named and gives no `reason` (`UNCHANGED_RESUBMISSION`; `errors` lists each deficiency still open). The paired zone is not paired with the county in the directory (`ZONE_NOT_PAIRED`, naming `pairedZoneCode`).' },
  )
  @ApiBody(applicantNoteBody)
  async submit(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() note: ApplicantNoteRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ZonePlanResponse> {
    const plan = await this.submissions.submit(principal, id, 'zone_plan', note);
    res.setHeader('ETag', etagOf(plan.version));
    return toZonePlanResponse(plan);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @idParam
  @ApiOperation({
    summary: 'Withdraw a plan',
    description:
      'A draft is withdrawn at once (200, status `withdrawn`). A submitted plan, one under review, or one returned for correction answers 202 with its status unchanged: the withdrawal goes to the approval engine, which closes the review at its pending step; the plan then becomes `withdrawn` (see its timeline). If the last step was decided first, the decision stands.',
  })
  @ApiOkResponse({ type: ZonePlanResponse, description: 'The draft, withdrawn.', headers: etag })
  @ApiAcceptedResponse({ type: ZonePlanResponse, description: 'The withdrawal of a plan under review was accepted; its status changes when the review is closed.', headers: etag })
  @ApiProblemResponses(malformedIdProblem, notFound, {
    status: 409,
    description: 'The plan cannot be withdrawn in its status: approved, rejected or withdrawn already (`NOT_WITHDRAWABLE`, with `submissionStatus`).',
    extensions: submissionStatusMembers,
  })
  @ApiBody(applicantNoteBody)
  async withdraw(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() note: ApplicantNoteRequest, @Res({ passthrough: true }) res: Response): Promise<ZonePlanResponse> {
    const { submission, accepted } = await this.submissions.withdraw(principal, id, 'zone_plan', note);
    if (accepted) res.status(202);
    res.setHeader('ETag', etagOf(submission.version));
    return toZonePlanResponse(submission);
  }

  @Post(':id/urge')
  @idParam
  @urgeDocs('a plan')
  async urge(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UrgeRequest): Promise<UrgeResponse> {
    return toUrgeResponse(await this.urges.urge(principal, id, 'zone_plan', body));
  }

  @Get(':id/timeline')
  @idParam
  @ApiOperation({ summary: "The plan's progress: every step, who, when, with what opinion" })
  @ApiOkResponse({ type: TimelineResponse })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async timeline(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<TimelineResponse> {
    return toTimelineResponse(await this.submissions.timeline(principal, id, 'zone_plan'));
  }
}
