import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, CurrentUser, malformedIdProblem, Roles, type Principal } from '@shanhai/platform';
import { InstanceEventResponse, InstanceResponse, toInstanceResponse } from './dto/instance.response.js';
import { InstancesService } from './instances.service.js';

const instanceId = { name: 'id', description: 'The approval instance id.', format: 'uuid', example: 'ebe29839-7d4c-4a2e-8b1f-5c6d7e8f9a0b' };
const notFound = { status: 404, description: 'No instance has this id (`NOT_FOUND`).' } as const;

@ApiTags('instances')
@ApiBearerAuth('bearer')
@Roles('reviewer', 'admin')
@ApiProblemResponses({ status: 401, description: 'No valid access token.' }, { status: 403, description: 'Not a reviewer or an admin.' })
@Controller('instances')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Get an approval instance with its tasks' })
  @ApiParam(instanceId)
  @ApiOkResponse({ type: InstanceResponse, description: 'The instance and its tasks so far.' })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<InstanceResponse> {
    return toInstanceResponse(await this.instances.get(principal, id));
  }

  /**
   * The instance's recorded events, oldest first: its audit trail so far. The approval engine
   * makes it hash-chained and verifiable.
   */
  @Get(':id/audit')
  @ApiOperation({ summary: "An instance's audit trail: its recorded events, in order" })
  @ApiParam(instanceId)
  @ApiOkResponse({ type: [InstanceEventResponse], description: 'The events, oldest first.' })
  @ApiProblemResponses(malformedIdProblem, notFound)
  async audit(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<InstanceEventResponse[]> {
    await this.instances.get(principal, id);
    return (await this.instances.events(id)).map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), data: e.data }));
  }
}
