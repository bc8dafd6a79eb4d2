import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, malformedIdProblem, PROBLEM_TYPE_BASE, type Principal } from '@shanhai/platform';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { mutableTemplates, statutoryTemplates } from './notice-policy.js';
import { LOCALES, type Locale } from './preference.entities.js';
import { PreferencesService, type Preferences } from './preferences.service.js';

const SUBMISSION_EXAMPLE = '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f';
const mutable = mutableTemplates();
const statutory = statutoryTemplates();
const MUTED_DESCRIPTION =
  'Template ids (`<event>.<recipient>`) of the notices the user does not want. Only non-statutory templates may be muted: ' +
  `${mutable.map((t) => `\`${t}\``).join(', ') || 'none at present'}. ` +
  `Statutory notices (${statutory.map((t) => `\`${t}\``).join(', ')}) are always sent, and muting one is refused with 400.`;

export class PreferencesRequest {
  @ApiProperty({ description: 'The language of the emails to this user.', enum: [...LOCALES], example: 'en' })
  @IsIn([...LOCALES])
  locale!: Locale;

  @ApiProperty({ description: MUTED_DESCRIPTION, type: [String], maxItems: 100, example: mutable.slice(0, 1) })
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(100, { each: true })
  muted!: string[];
}

export class WatchingResponse {
  @ApiProperty({ description: 'The submission whose progress the user is told of.', format: 'uuid', example: SUBMISSION_EXAMPLE })
  submissionId!: string;

  @ApiProperty({ description: 'When the user started watching it.', type: 'string', format: 'date-time', example: '2025-11-27T08:00:00.000Z' })
  since!: string;
}

export class PreferencesResponse {
  @ApiProperty({ description: "The address the settings belong to: the access token's email, in lower case.", format: 'email', example: 'qingyuan@county.shanhai.example' })
  email!: string;

  @ApiProperty({ description: 'The language of the emails; `zh-CN` until the user picks another.', enum: [...LOCALES], example: 'zh-CN' })
  locale!: Locale;

  @ApiProperty({ description: MUTED_DESCRIPTION, type: [String], example: mutable.slice(0, 1) })
  muted!: string[];

  @ApiProperty({ description: 'The submissions the user watches, oldest first.', type: [WatchingResponse] })
  watching!: WatchingResponse[];
}

const toResponse = (p: Preferences): PreferencesResponse => ({
  email: p.email,
  locale: p.locale,
  muted: [...p.muted],
  watching: p.watching.map((w) => ({ submissionId: w.submissionId, since: w.since.toISOString() })),
});

const submissionParam = ApiParam({ name: 'submissionId', description: 'The submission (zone plan or promotion event) to watch.', format: 'uuid', example: SUBMISSION_EXAMPLE });
const noEmail = {
  status: 400 as const,
  description:
    'The access token carries no email (signed before tokens had one: sign in again), or, on PUT, a field is not valid or `muted` names a statutory or unknown template: `VALIDATION_FAILED`, every problem listed in `errors`.',
  example: {
    type: `${PROBLEM_TYPE_BASE}validation-failed`,
    title: 'The request is not valid',
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: '1 problem(s): muted.0',
    errors: [{ field: 'muted.0', message: `${statutory[0] ?? 'returned.applicant'} is a statutory notice and cannot be muted` }],
  },
};

const badWatch = { ...malformedIdProblem, description: 'The id is not a UUID, or the access token carries no email (sign in again: `VALIDATION_FAILED`).' };
const WHO_MAY_WATCH =
  'Only a party to the submission may watch it, as the notifier knows them from the workflow events it received: ' +
  "an admin; the applicant of the submission's county; a reviewer of an organisation that reviews (or reviewed) one of its steps; " +
  'a stakeholder whose email is among its stakeholders. Whether a watcher may still hear of it is checked again at every event.';
const noSubmission = {
  status: 404 as const,
  description:
    'The submission is not one I may watch, or the notifier has not heard of it (yet): `NOT_FOUND`, the same answer either way, so that it does not tell whether the submission exists.',
  example: { type: `${PROBLEM_TYPE_BASE}not-found`, title: 'Not found', status: 404, code: 'NOT_FOUND', detail: `no submission ${SUBMISSION_EXAMPLE}` },
};

/** Each signed-in user's own notice settings, whatever their role: keyed by the email of their access token. */
@ApiTags('preferences')
@ApiBearerAuth('bearer')
@ApiAuthProblems()
@Controller('preferences/me')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOperation({ summary: 'Read my notice preferences', description: 'The language of my emails, the notices I muted and the submissions I watch. Defaults (`zh-CN`, nothing muted) until set.' })
  @ApiOkResponse({ type: PreferencesResponse, description: 'My preferences.' })
  @ApiProblemResponses(noEmail)
  async get(@CurrentUser() principal: Principal): Promise<PreferencesResponse> {
    return toResponse(await this.preferences.get(principal));
  }

  @Put()
  @ApiOperation({
    summary: 'Set my notice preferences',
    description: 'Replaces the language and the muted templates. Statutory notices cannot be muted. The watched submissions are unchanged.',
  })
  @ApiBody({
    type: PreferencesRequest,
    examples: {
      english: { summary: 'Emails in English, nothing muted', value: { locale: 'en', muted: [] } },
      ...(mutable.length ? { quiet: { summary: `Chinese, without ${mutable[0]}`, value: { locale: 'zh-CN', muted: mutable.slice(0, 1) } } } : {}),
    },
  })
  @ApiOkResponse({ type: PreferencesResponse, description: 'My preferences as they now are.' })
  @ApiProblemResponses(noEmail)
  async put(@CurrentUser() principal: Principal, @Body() body: PreferencesRequest): Promise<PreferencesResponse> {
    return toResponse(await this.preferences.put(principal, body));
  }

  @Put('watching/:submissionId')
  @submissionParam
  @ApiOperation({
    summary: 'Watch a submission',
    description: `Tells me of the submission's progress from now on (non-statutory notices, which I may mute). Watching it again changes nothing. ${WHO_MAY_WATCH} Anyone else gets 404.`,
  })
  @ApiOkResponse({ type: WatchingResponse, description: 'I watch the submission.' })
  @ApiProblemResponses(badWatch, noSubmission)
  async watch(@CurrentUser() principal: Principal, @Param('submissionId', new ParseUUIDPipe()) submissionId: string): Promise<WatchingResponse> {
    const watching = await this.preferences.watch(principal, submissionId);
    return { submissionId: watching.submissionId, since: watching.since.toISOString() };
  }

  @Delete('watching/:submissionId')
  @HttpCode(204)
  @submissionParam
  @ApiOperation({ summary: 'Stop watching a submission', description: 'No more progress notices of it. Not watching it already is not an error.' })
  @ApiNoContentResponse({ description: 'I do not watch the submission.' })
  @ApiProblemResponses(badWatch)
  async unwatch(@CurrentUser() principal: Principal, @Param('submissionId', new ParseUUIDPipe()) submissionId: string): Promise<void> {
    await this.preferences.unwatch(principal, submissionId);
  }
}
