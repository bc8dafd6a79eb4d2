import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, malformedIdProblem, RequestValidationError, Roles, type Principal } from '@shanhai/platform';
import type { Response } from 'express';
import { ListSubmissionsQuery } from './dto/list-submissions.query.js';
import { TimelineResponse, toTimelineResponse } from './dto/submission.response.js';
import { qingyuanPlanExample, ZonePlanPatch, ZonePlanRequest } from './dto/zone-plan.request.js';
import { toZonePlanResponse, ZonePlanListResponse, ZonePlanResponse } from './dto/zone-plan.response.js';
import { SubmissionsService } from './submissions.service.js';
import { ZonePlansService } from './zone-plans.service.js';

const idParam = ApiParam({ name: 'id', description: 'The plan id.', format: 'uuid', example: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f' });
const notFound = { status: 404 as const, description: 'No plan with this id that you may see (`NOT_FOUND`).' };

/** `If-Match: "3"` → 3; absent → no check. */
function versionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(ifMatch.trim());
  if (!match) throw new RequestValidationError([{ field: 'If-Match', message: 'must be the plan version from its ETag, e.g. "3"' }]);
  return Number(match[1]);
}

@ApiTags('zone-plans')
@ApiBearerAuth('bearer')
@ApiAuthProblems()
@Controller('zone-plans')
export class ZonePlansController {
  constructor(
    private readonly plans: ZonePlansService,
    private readonly submissions: SubmissionsService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @ApiOperation({ summary: 'Draft a zone creation plan', description: "A draft for the signed-in applicant's county; edit it, attach the documents, then submit it." })
  @ApiBody({ type: ZonePlanRequest, examples: { qingyuan: { summary: "Qingyuan county's plan for 浙江庆元经济开发区", value: qingyuanPlanExample } } })
  @ApiCreatedResponse({ type: ZonePlanResponse })
  @ApiProblemResponses({ status: 400, description: 'Every invalid or unknown field is listed in `errors`.' }, 413)
  async create(@CurrentUser() principal: Principal, @Body() body: ZonePlanRequest, @Res({ passthrough: true }) res: Response): Promise<ZonePlanResponse> {
    const plan = await this.plans.create(principal, body);
    res.setHeader('ETag', `"${plan.version}"`);
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
  @ApiOkResponse({ type: ZonePlanResponse, headers: { ETag: { description: 'The plan version, for If-Match on PATCH', schema: { type: 'string' } } } })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response): Promise<ZonePlanResponse> {
    const plan = await this.submissions.findReadable(principal, id, 'zone_plan');
    res.setHeader('ETag', `"${plan.version}"`);
    return toZonePlanResponse(plan);
  }

  @Patch(':id')
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @idParam
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the version you edited; a newer one makes the edit fail with 409.' })
  @ApiOperation({ summary: 'Edit a draft plan', description: 'Only the fields sent change; null clears an optional field. A plan is editable while a draft or returned for correction (`returned`); under review it is read-only.' })
  @ApiBody({ type: ZonePlanPatch, examples: { industries: { summary: 'Change the leading industries', value: { leadingIndustries: ['竹木制品', '生物医药', '数字经济'] } } } })
  @ApiOkResponse({ type: ZonePlanResponse })
  @ApiProblemResponses(malformedIdProblem, notFound, { status: 409, description: 'The plan is neither a draft nor returned for correction (`NOT_EDITABLE`), or If-Match is stale (`STALE_VERSION`).' })
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ZonePlanPatch,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ZonePlanResponse> {
    const plan = await this.plans.update(principal, id, body, versionOf(ifMatch));
    res.setHeader('ETag', `"${plan.version}"`);
    return toZonePlanResponse(plan);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('applicant')
  @ApiProblemResponses({ status: 403, description: 'Only an applicant county drafts and changes plans (`FORBIDDEN`).' })
  @idParam
  @ApiOperation({ summary: 'Submit the plan for review', description: 'Freezes it as the next revision and starts its review. Every required attachment must be there. A plan returned for correction (`returned`) is submitted again the same way: its corrected revision re-enters review at the step that returned it, and its correction notice is cleared.' })
  @ApiOkResponse({ type: ZonePlanResponse })
  @ApiProblemResponses(malformedIdProblem, notFound, { status: 409, description: 'Neither a draft nor returned for correction (`NOT_EDITABLE`).' }, { status: 422, description: 'Attachments missing (`ATTACHMENTS_MISSING`); `errors` lists each.' })
  async submit(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ZonePlanResponse> {
    return toZonePlanResponse(await this.submissions.submit(principal, id, 'zone_plan'));
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
  @ApiOkResponse({ type: ZonePlanResponse, description: 'The draft, withdrawn.' })
  @ApiAcceptedResponse({ type: ZonePlanResponse, description: 'The withdrawal of a plan under review was accepted; its status changes when the review is closed.' })
  @ApiProblemResponses(malformedIdProblem, notFound, { status: 409, description: 'The plan cannot be withdrawn in its status: approved, rejected or withdrawn already (`NOT_WITHDRAWABLE`).' })
  async withdraw(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response): Promise<ZonePlanResponse> {
    const { submission, accepted } = await this.submissions.withdraw(principal, id, 'zone_plan');
    if (accepted) res.status(202);
    return toZonePlanResponse(submission);
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
