import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponses, malformedIdProblem, Roles } from '@shanhai/platform';
import { submissionStatusMembers } from './dto/submission.problems.js';
import { UrgeRequest, UrgeResponse } from './dto/urge.dto.js';

/** What `POST /zone-plans/{id}/urge` and `POST /promotion-events/{id}/urge` (催办) say of themselves; each controller adds its id parameter. */
export const urgeDocs = (what: string) =>
  applyDecorators(
    HttpCode(200),
    Roles('applicant'),
    ApiOperation({
      summary: `Urge the pending step of ${what} under review (催办)`,
      description:
        "Once per China date (Asia/Shanghai). The pending step's reviewers are emailed, and the audit and the timeline (`urged`) show it. Workflow counts an urge made on a rest day as one of the next working day and records only the first of each working day.",
    }),
    ApiBody({
      type: UrgeRequest,
      required: false,
      examples: { none: { summary: 'No note', value: {} }, note: { summary: 'A word for the reviewers', value: { note: '项目落地时间紧，恳请尽快审核。' } } },
    }),
    ApiOkResponse({ type: UrgeResponse }),
    ApiProblemResponses(
      malformedIdProblem,
      { status: 403, description: 'Only the applicant county urges its submissions (`FORBIDDEN`).' },
      { status: 404, description: 'No such submission that you may see (`NOT_FOUND`).' },
      { status: 409, description: 'Urged already today (`ALREADY_URGED`, with `urgedOn`).' },
      { status: 422, description: 'Not under review (`NOT_UNDER_REVIEW`, with `submissionStatus`).', extensions: submissionStatusMembers },
    ),
  );
