import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, malformedIdProblem, Roles, type Principal } from '@shanhai/platform';
import type { Response } from 'express';

import { ApiIfMatch, etagHeader, etagOf, expectedVersion, staleVersionMembers } from '../http/if-match.js';
import { ListSubmissionsQuery } from '../submissions/dto/list-submissions.query.js';
import { submissionStatusMembers } from '../submissions/dto/submission.problems.js';
import { TimelineResponse, toTimelineResponse } from '../submissions/dto/submission.response.js';
import { PromotionEventPatch, PromotionEventRequest, qingyuanEventExample } from './dto/promotion-event.request.js';
import { PromotionEventListResponse, PromotionEventResponse } from './dto/promotion-event.response.js';
import { toPromotionEventResponse } from './promotion-event.content.js';
import { PromotionEventsService } from './promotion-events.service.js';
import { applicantNoteBody, ApplicantNoteRequest } from '../submissions/dto/applicant-note.request.js';
import { toUrgeResponse, UrgeRequest, UrgeResponse } from '../submissions/dto/urge.dto.js';
import { urgeDocs } from '../submissions/urge.docs.js';
import { UrgesService } from '../submissions/urges.service.js';

const APPLICANT_ONLY = 'Only applicants (county governments) may do this, and only to their own county’s events (`FORBIDDEN`).';
const idParam = ApiParam({ name: 'id', description: 'The event id.', format: 'uuid', example: '3c1d9a4e-5b7f-4e21-9a0c-6f2b8d1e7a35' });
const notFound = { status: 404 as const, description: 'No event with this id that the caller may read (`NOT_FOUND`).' };
const etag = etagHeader('The event');

@ApiTags('promotion-events')
@ApiBearerAuth('bearer')
@ApiAuthProblems()
@Controller('promotion-events')
export class PromotionEventsController {
  constructor(
    private readonly events: PromotionEventsService,
    private readonly urges: UrgesService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('applicant')
  @ApiOperation({
    summary: 'Draft an investment-promotion event (招商推介会)',
    description: "Creates a draft for the caller's county. Nothing is reviewed until it is submitted. A draft may hold a past date; submitting may not.",
  })
  @ApiBody({
    type: PromotionEventRequest,
    examples: { qingyuan: { summary: "Qingyuan county's industry-chain mountain–sea event (illustrative)", value: qingyuanEventExample } },
  })
  @ApiCreatedResponse({ type: PromotionEventResponse, description: 'The draft.', headers: etag })
  @ApiAuthProblems(APPLICANT_ONLY)
  @ApiProblemResponses(
    {
      status: 400,
      description:
        'A field is not valid, unknown, or names what the directory does not hold (`hostOrganisationCode`, `pairedCountyCode`, `pairedZoneCode`): `VALIDATION_FAILED`, every problem listed in `errors`.',
    },
    413,
  )
  async create(@CurrentUser() principal: Principal, @Body() body: PromotionEventRequest, @Res({ passthrough: true }) res: Response): Promise<PromotionEventResponse> {
    const event = await this.events.create(principal, body);
    res.setHeader('ETag', etagOf(event.version));
    return toPromotionEventResponse(event);
  }

  @Get()
  @ApiOperation({ summary: 'List the events the caller may read', description: 'Newest first. Applicants see their county’s; reviewers those assigned to them; stakeholders those of their zone once submitted.' })
  @ApiOkResponse({ type: PromotionEventListResponse })
  @ApiProblemResponses({ status: 400, description: '`status`, `limit` or `offset` is not valid (`VALIDATION_FAILED`).' })
  async list(@CurrentUser() principal: Principal, @Query() query: ListSubmissionsQuery): Promise<PromotionEventListResponse> {
    const { items, total } = await this.events.list(principal, query);
    return { items: items.map(toPromotionEventResponse), total };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one event with its status and current step', description: 'The `ETag` is the version an edit is based on.' })
  @idParam
  @ApiOkResponse({ type: PromotionEventResponse, headers: etag })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response): Promise<PromotionEventResponse> {
    const event = await this.events.get(principal, id);
    res.setHeader('ETag', etagOf(event.version));
    return toPromotionEventResponse(event);
  }

  @Patch(':id')
  @Roles('applicant')
  @ApiOperation({ summary: 'Edit a draft', description: 'Only the fields given change; an event returned for correction is edited the same way. Pass the version read (`version` or `If-Match`) to be told if someone changed the draft since.' })
  @idParam
  @ApiIfMatch('The ETag of the event you edited (or send `version`; both must agree): if the event changed since, the edit is refused (409 `STALE_VERSION`, with `currentVersion`). Absent: no check.')
  @ApiBody({ type: PromotionEventPatch, examples: { venue: { summary: 'Move the venue', value: { venue: '庆元县香菇城会议中心（示例）', version: 1 } } } })
  @ApiOkResponse({ type: PromotionEventResponse, headers: etag })
  @ApiAuthProblems(APPLICANT_ONLY)
  @ApiProblemResponses(
    {
      status: 400,
      description: 'A field is not valid, unknown, null, or not in the directory, `If-Match` is malformed, or it and `version` disagree (`VALIDATION_FAILED`, every problem listed in `errors`), or the id is not a UUID.',
    },
    notFound,
    {
      status: 409,
      description: 'The event is neither a draft nor returned for correction (`NOT_EDITABLE`, with `submissionStatus`), or its withdrawal was requested and awaits the review (`WITHDRAWAL_PENDING`), or it changed since the version given (`STALE_VERSION`, with `currentVersion`).',
      extensions: { ...submissionStatusMembers, ...staleVersionMembers },
    },
    413,
  )
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() patch: PromotionEventPatch,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PromotionEventResponse> {
    const event = await this.events.update(principal, id, patch, expectedVersion(patch.version, ifMatch));
    res.setHeader('ETag', etagOf(event.version));
    return toPromotionEventResponse(event);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOperation({
    summary: 'Submit a draft for review',
    description: 'Starts the review: 主办单位审核 by the host organisation, then 省商务厅办公室审批. The event may be today or later (China time), not in the past. An event returned for correction (`returned`) is submitted again the same way, as its next revision.',
  })
  @idParam
  @ApiOkResponse({ type: PromotionEventResponse, headers: etag })
  @ApiAuthProblems(APPLICANT_ONLY)
  @ApiProblemResponses(
    { status: 400, description: 'The date is in the past, or the host organisation left the directory (`VALIDATION_FAILED`, naming `date` / `hostOrganisationCode`), or the id is not a UUID.' },
    notFound,
    { status: 409, description: 'The event is neither a draft nor returned for correction (`NOT_EDITABLE`, with `submissionStatus`), or its withdrawal was requested and awaits the review (`WITHDRAWAL_PENDING`).', extensions: submissionStatusMembers },
    { status: 422, description: 'A resubmission after a return changes nothing the correction notice named and gives no `reason` (`UNCHANGED_RESUBMISSION`; `errors` lists each deficiency still open), or the paired zone is not paired with the county in the directory (`ZONE_NOT_PAIRED`, naming `pairedZoneCode`).' },
  )
  @ApiBody(applicantNoteBody)
  async submit(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() note: ApplicantNoteRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PromotionEventResponse> {
    const event = await this.events.submit(principal, id, note);
    res.setHeader('ETag', etagOf(event.version));
    return toPromotionEventResponse(event);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('applicant')
  @ApiOperation({
    summary: 'Withdraw an event',
    description:
      'A draft is withdrawn at once (200, status `withdrawn`). A submitted event, one under review, or one returned for correction answers 202 with its status unchanged: the withdrawal goes to the approval engine, which closes the review at its pending step; the event then becomes `withdrawn` (see its timeline). If the last step was decided first, the decision stands.',
  })
  @idParam
  @ApiOkResponse({ type: PromotionEventResponse, description: 'The draft, withdrawn.', headers: etag })
  @ApiAcceptedResponse({ type: PromotionEventResponse, description: 'The withdrawal of an event under review was accepted; its status changes when the review is closed.', headers: etag })
  @ApiAuthProblems(APPLICANT_ONLY)
  @ApiProblemResponses(malformedIdProblem, notFound, {
    status: 409,
    description: 'The event cannot be withdrawn in its status: approved, rejected or withdrawn already (`NOT_WITHDRAWABLE`, with `submissionStatus`).',
    extensions: submissionStatusMembers,
  })
  @ApiBody(applicantNoteBody)
  async withdraw(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() note: ApplicantNoteRequest, @Res({ passthrough: true }) res: Response): Promise<PromotionEventResponse> {
    const { submission, accepted } = await this.events.withdraw(principal, id, note);
    if (accepted) res.status(202);
    res.setHeader('ETag', etagOf(submission.version));
    return toPromotionEventResponse(submission);
  }

  @Post(':id/urge')
  @idParam
  @urgeDocs('an event')
  async urge(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UrgeRequest): Promise<UrgeResponse> {
    return toUrgeResponse(await this.urges.urge(principal, id, 'promotion_event', body));
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: "The event's timeline, oldest first" })
  @idParam
  @ApiOkResponse({ type: TimelineResponse })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async timeline(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<TimelineResponse> {
    return toTimelineResponse(await this.events.timeline(principal, id));
  }
}
