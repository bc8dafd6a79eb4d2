import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, PROBLEM_TYPE_BASE, Roles, type Principal } from '@shanhai/platform';
import { CalendarsService } from './calendars.service.js';
import { CalendarYearParams } from './dto/calendar-year.params.js';
import { PutCalendarRequest } from './dto/calendar.request.js';
import { CalendarListResponse, CalendarResponse, toCalendarResponse } from './dto/calendar.response.js';

/**
 * The PRC working-day calendar, a year at a time: the time limits of approvals (承诺时限) count
 * working days on it. 2026 ships with the service; admins load each later year when the State
 * Council publishes it (each November), here or with `npm run calendar:load`.
 */
@ApiTags('calendars')
@ApiBearerAuth('bearer')
@ApiAuthProblems()
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @ApiOperation({ summary: 'Every loaded year of the working-day calendar' })
  @ApiOkResponse({ type: CalendarListResponse })
  async list(): Promise<CalendarListResponse> {
    return { items: (await this.calendars.list()).map(toCalendarResponse) };
  }

  @Get(':year')
  @ApiOperation({ summary: "One year's public holidays and make-up working days" })
  @ApiOkResponse({ type: CalendarResponse })
  @ApiProblemResponses({ status: 400, description: 'The year is not one from 2000 to 2100 (`VALIDATION_FAILED`, naming `year`).' }, { status: 404, description: 'No calendar is loaded for the year (`NOT_FOUND`).' })
  async get(@Param() { year }: CalendarYearParams): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.get(Number(year)));
  }

  @Put(':year')
  @Roles('admin')
  @ApiAuthProblems('Only admins load calendars.')
  @ApiOperation({
    summary: "Load or replace a year's calendar",
    description:
      'Every date must be a real date in the year, listed once; no day both a holiday and a make-up working day; make-up working days fall on a ' +
      'Saturday or Sunday. Otherwise refused with every problem named and nothing stored. In the same transaction, every open time limit the year may move ' +
      '(one left without a due date for want of the year, or due in or after it) is computed again, each change recorded in its instance\'s audit (`deadline_recomputed`).',
  })
  @ApiBody({
    type: PutCalendarRequest,
    examples: {
      newYear: {
        summary: 'New Year and the Spring Festival of 2027, with their make-up working days',
        value: { holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-06', '2027-02-07', '2027-02-08'], makeUpWorkdays: ['2027-02-13'], source: '国务院办公厅关于2027年部分节假日安排的通知' },
      },
    },
  })
  @ApiOkResponse({ type: CalendarResponse, description: 'The calendar as stored, its version bumped when it replaced one.' })
  @ApiProblemResponses({
    status: 400,
    description: 'The calendar is not valid (`VALIDATION_FAILED`): every problem is listed in `errors`, by field path. Nothing is stored.',
    example: {
      type: `${PROBLEM_TYPE_BASE}validation-failed`,
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: '2 problem(s): holidays.1, makeUpWorkdays.0',
      errors: [
        { field: 'holidays.1', message: '2026-12-31 is not in 2027' },
        { field: 'makeUpWorkdays.0', message: '2027-02-08 is a weekday: only a Saturday or Sunday can be a make-up working day' },
      ],
    },
  })
  async put(@CurrentUser() principal: Principal, @Param() params: CalendarYearParams, @Body() body: PutCalendarRequest): Promise<CalendarResponse> {
    const { row } = await this.calendars.put({ year: Number(params.year), holidays: body.holidays, makeUpWorkdays: body.makeUpWorkdays, ...(body.source ? { source: body.source } : {}) }, principal.name);
    return toCalendarResponse(row);
  }
}
