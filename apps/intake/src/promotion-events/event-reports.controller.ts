import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, FieldProblemSchema, malformedIdProblem, PROBLEM_TYPE_BASE, Roles, type Principal } from '@shanhai/platform';
import type { Response } from 'express';

import { ApiIfMatch, etagHeader, etagOf, expectedVersion, staleVersionMembers } from '../http/if-match.js';
import { EventReportRequest, qingyuanReportExample } from './dto/event-report.request.js';
import { EventReportResponse, toEventReportResponse } from './dto/event-report.response.js';
import { EventReportsService } from './event-reports.service.js';

const idParam = ApiParam({ name: 'id', description: 'The event id.', format: 'uuid', example: '3c1d9a4e-5b7f-4e21-9a0c-6f2b8d1e7a35' });
const etag = etagHeader('The report');

/** After the event: the projects signed there (签约项目), followed from signed to producing. */
@ApiTags('promotion-events')
@ApiBearerAuth('bearer')
@ApiAuthProblems()
@Controller('promotion-events/:id/report')
export class EventReportsController {
  constructor(private readonly reports: EventReportsService) {}

  @Put()
  @Roles('applicant')
  @ApiOperation({
    summary: "File or update the event's report",
    description:
      'The applicant county files it once the event is approved and its day has passed (China time), due within a month; later updates replace the whole list. ' +
      'Projects are matched by name, and a listed project only keeps or advances its status (signed → started → producing).',
  })
  @idParam
  @ApiIfMatch('The report ETag the update is based on (or send `version`; both must agree): if the report changed since, the update is refused (409 `STALE_VERSION`, with `currentVersion`). `*`: only if a report exists. Absent: no check.')
  @ApiBody({ type: EventReportRequest, examples: { qingyuan: { summary: 'Six projects, 21.75 亿元 (illustrative)', value: qingyuanReportExample } } })
  @ApiOkResponse({ type: EventReportResponse, headers: etag })
  @ApiAuthProblems('Only the applicant county of the event files its report (`FORBIDDEN`).')
  @ApiProblemResponses(
    { status: 400, description: 'A project is not valid, names repeat, or `If-Match` is malformed (`VALIDATION_FAILED`), or the id is not a UUID.' },
    { status: 404, description: 'No event with this id that the caller may read (`NOT_FOUND`).' },
    {
      status: 409,
      description: 'The event is not approved or not over yet (`REPORT_NOT_OPEN`, with `eventStatus` and `eventDate`), or the report changed since the version given (`STALE_VERSION`, with `currentVersion`).',
      extensions: {
        eventStatus: { type: 'string', description: 'With `REPORT_NOT_OPEN`: the event status.' },
        eventDate: { type: 'string', format: 'date', description: 'With `REPORT_NOT_OPEN`: the event day.' },
        ...staleVersionMembers,
      },
      example: { type: `${PROBLEM_TYPE_BASE}report-not-open`, title: 'Report not open', status: 409, code: 'REPORT_NOT_OPEN', detail: 'the event is in_review: a report is filed once it is approved and held', eventStatus: 'in_review', eventDate: '2027-06-29' },
    },
    {
      status: 422,
      description: 'A listed project would move back in status (`PROJECT_STATUS_BACKWARDS`); `errors` names each project.',
      extensions: { errors: { type: 'array', items: { $ref: getSchemaPath(FieldProblemSchema) } } },
      example: {
        type: `${PROBLEM_TYPE_BASE}project-status-backwards`,
        title: 'Project status backwards',
        status: 422,
        code: 'PROJECT_STATUS_BACKWARDS',
        detail: 'status moved back for 竹木家居智能制造产业园项目',
        errors: [{ field: 'projects.0.status', message: '竹木家居智能制造产业园项目: started (已开工) cannot go back to signed (已签约)' }],
      },
    },
    413,
  )
  async file(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: EventReportRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventReportResponse> {
    const { report, date } = await this.reports.file(principal, id, body.projects, expectedVersion(body.version, ifMatch));
    res.setHeader('ETag', etagOf(report.version));
    return toEventReportResponse(report, date);
  }

  @Get()
  @ApiOperation({ summary: "The event's report", description: 'Whoever may read the event may read its report.' })
  @idParam
  @ApiOkResponse({ type: EventReportResponse, headers: etag })
  @ApiProblemResponses(malformedIdProblem, { status: 404, description: 'No such event the caller may read, or no report filed yet (`NOT_FOUND`).' })
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) res: Response): Promise<EventReportResponse> {
    const { report, date } = await this.reports.get(principal, id);
    res.setHeader('ETag', etagOf(report.version));
    return toEventReportResponse(report, date);
  }
}
