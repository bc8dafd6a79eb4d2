import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '@shanhai/platform';
import { DirectoryService } from './directory.service.js';
import { CountiesQuery } from './dto/directory.query.js';
import {
  CountyListResponse,
  OrganisationListResponse,
  PairingListResponse,
  toCountyResponse,
  toOrganisationResponse,
  toPairingResponse,
  toZoneResponse,
  ZoneListResponse,
} from './dto/directory.response.js';

/** The directory, read by every signed-in user; admins maintain it (DirectoryAdminController). */
@ApiTags('directory')
@ApiBearerAuth('bearer')
@ApiProblemResponses(401)
@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('counties')
  @ApiOperation({ summary: 'The mountain counties with their cities and validity dates' })
  @ApiOkResponse({ type: CountyListResponse })
  @ApiProblemResponses({ status: 400, description: '`on` is not a date (`VALIDATION_FAILED`).' })
  async counties(@Query() query: CountiesQuery): Promise<CountyListResponse> {
    return { items: (await this.directory.counties(query.on)).map(toCountyResponse) };
  }

  @Get('zones')
  @ApiOperation({ summary: 'Advanced development zones' })
  @ApiOkResponse({ type: ZoneListResponse })
  async zones(): Promise<ZoneListResponse> {
    return { items: (await this.directory.zones()).map(toZoneResponse) };
  }

  @Get('pairings')
  @ApiOperation({ summary: 'County–zone pairings (结对); `source` says where each pair comes from' })
  @ApiOkResponse({ type: PairingListResponse })
  async pairings(): Promise<PairingListResponse> {
    return { items: (await this.directory.pairings()).map(toPairingResponse) };
  }

  @Get('organisations')
  @ApiOperation({ summary: 'Reviewing organisations' })
  @ApiOkResponse({ type: OrganisationListResponse })
  async organisations(): Promise<OrganisationListResponse> {
    return { items: (await this.directory.organisations()).map(toOrganisationResponse) };
  }
}
