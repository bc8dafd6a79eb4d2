import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses, CurrentUser, PROBLEM_TYPE_BASE, Roles, type Principal } from '@shanhai/platform';
import { DefinitionVersionParams, MAX_DEFINITION_VERSION } from './dto/definition-version.params.js';
import { DefinitionListResponse, DefinitionResponse, toDefinitionResponse } from './dto/definition.response.js';
import { ListDefinitionsQuery } from './dto/list-definitions.query.js';
import { PublishDefinitionRequest, publishExamples } from './dto/publish-definition.request.js';
import { DefinitionsService } from './definitions.service.js';

/**
 * Approval definitions as versioned data. There is no update or delete: a published version is
 * immutable (instances run on it to their end), and a change is published as the next version.
 */
@ApiTags('definitions')
@ApiBearerAuth('bearer')
@Roles('reviewer', 'admin')
@ApiAuthProblems('Not a reviewer or an admin.')
@Controller('definitions')
export class DefinitionsController {
  constructor(private readonly definitions: DefinitionsService) {}

  @Get()
  @ApiOperation({
    summary: 'The approval definitions: the newest version of each submission kind, or every version',
    description: 'New submissions start on the newest version of their kind; running instances stay on the version they started with.',
  })
  @ApiOkResponse({ type: DefinitionListResponse, description: 'By submission kind, then version.' })
  @ApiProblemResponses({ status: 400, description: 'A filter is not valid (`VALIDATION_FAILED`, every problem listed in `errors`).' })
  async list(@Query() query: ListDefinitionsQuery): Promise<DefinitionListResponse> {
    return { items: (await this.definitions.list(query.all === 'true')).map(toDefinitionResponse) };
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: 'One published version of a definition' })
  @ApiOkResponse({ type: DefinitionResponse, description: 'The version, as it was published.' })
  @ApiProblemResponses(
    {
      status: 400,
      description: `The version is not a whole number from 1 to ${MAX_DEFINITION_VERSION} in digits (\`VALIDATION_FAILED\`, naming \`version\`).`,
      example: {
        type: `${PROBLEM_TYPE_BASE}validation-failed`,
        title: 'The request is not valid',
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: '1 problem(s): version',
        errors: [{ field: 'version', message: `version must be a whole number from 1 to ${MAX_DEFINITION_VERSION}, in digits` }],
      },
    },
    { status: 404, description: 'No such version of this kind (`NOT_FOUND`).' },
  )
  async get(@Param() { key, version }: DefinitionVersionParams): Promise<DefinitionResponse> {
    return toDefinitionResponse(await this.definitions.find(key, Number(version)));
  }

  @Post()
  @Roles('admin')
  @ApiAuthProblems('Only admins publish definitions.')
  @ApiOperation({
    summary: 'Publish the next version of a definition',
    description:
      'Validates the whole definition (a known submission kind, 1 to 20 steps with unique keys, known reviewing organisations, a host organisation only ' +
      'for promotion events, time limits of 1 to 250 business days, mode `single`) and refuses it with every problem listed; otherwise stores it as ' +
      'the next version of its kind. New submissions start on it; instances already running stay on theirs. Time limits are stored, not enforced yet.',
  })
  @ApiBody({ type: PublishDefinitionRequest, examples: publishExamples })
  @ApiCreatedResponse({ type: DefinitionResponse, description: 'The published version, with its number.' })
  @ApiProblemResponses(
    {
      status: 400,
      description: 'The definition is not valid (`VALIDATION_FAILED`): every problem is listed in `errors`, by field path. Nothing is stored.',
      example: {
        type: `${PROBLEM_TYPE_BASE}validation-failed`,
        title: 'The request is not valid',
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: '2 problem(s): steps.1.reviewer.code, steps.2.mode',
        errors: [
          { field: 'steps.1.reviewer.code', message: 'no organisation has the code zj-nowhere' },
          { field: 'steps.2.mode', message: 'mode all_of is not supported yet: only single' },
        ],
      },
    },
    {
      status: 409,
      description: 'Other versions of the same kind were being published at the same moment, and this one could not get a number (`STALE_VERSION`): publish again.',
      example: {
        type: `${PROBLEM_TYPE_BASE}stale-version`,
        title: 'Stale version',
        status: 409,
        code: 'STALE_VERSION',
        detail: 'another version of zone_plan was published at the same time; publish again',
      },
    },
    413,
  )
  async publish(@CurrentUser() principal: Principal, @Body() body: PublishDefinitionRequest): Promise<DefinitionResponse> {
    return toDefinitionResponse(await this.definitions.publish(principal, body));
  }
}
