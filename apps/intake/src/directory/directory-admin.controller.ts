import { Body, Controller, Delete, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, type ProblemResponseOptions } from '@shanhai/platform';
import type { Response } from 'express';
import { AdminOnly } from './admin-only.js';
import { DirectoryAdminService, type Put as Written } from './directory-admin.service.js';
import {
  keqiaoZoneExample,
  lishuiCommerceExample,
  PutCountyRequest,
  PutOrganisationRequest,
  PutPairingRequest,
  PutZoneRequest,
  qingyuanCountyExample,
  suichangFuyangPairingExample,
} from './dto/directory-admin.request.js';
import { CountyCodeParams, OrganisationCodeParams, PairingParams, ZoneCodeParams } from './dto/directory.params.js';
import { CountyResponse, OrganisationResponse, PairingResponse, toCountyResponse, toOrganisationResponse, toPairingResponse, toZoneResponse, ZoneResponse } from './dto/directory.response.js';

const invalid = (references: string): ProblemResponseOptions => ({
  status: 400,
  description: `A code in the path or a field is not valid or unknown, or ${references} is not in the directory (\`VALIDATION_FAILED\`): every problem is listed in \`errors\`.`,
});
const created = (type: new () => unknown) => ApiCreatedResponse({ type, description: 'Created.' });
const replaced = (type: new () => unknown) => ApiOkResponse({ type, description: 'Replaced.' });
const CREATE_OR_REPLACE = 'Creates the record, or replaces every field of the one with this code: 201 when it created it, 200 when it replaced it.';

/** Admins' changes to the directory: create-or-replace by code, and unpairing. Accounts are in DirectoryUsersController. */
@ApiTags('directory')
@AdminOnly()
@Controller('directory')
export class DirectoryAdminController {
  constructor(private readonly admin: DirectoryAdminService) {}

  @Put('counties/:code')
  @ApiOperation({ summary: 'Create or replace a mountain county', description: `${CREATE_OR_REPLACE} Its city must be in the directory.` })
  @ApiBody({ type: PutCountyRequest, examples: { qingyuan: { summary: 'Qingyuan as seeded (PUT to /directory/counties/qingyuan)', value: qingyuanCountyExample } } })
  @created(CountyResponse)
  @replaced(CountyResponse)
  @ApiProblemResponses(invalid('`cityCode`'))
  async putCounty(@Param() { code }: CountyCodeParams, @Body() body: PutCountyRequest, @Res({ passthrough: true }) res: Response): Promise<CountyResponse> {
    return toCountyResponse(answer(res, await this.admin.putCounty(code, body)));
  }

  @Put('zones/:code')
  @ApiOperation({ summary: 'Create or replace an advanced development zone', description: CREATE_OR_REPLACE })
  @ApiBody({ type: PutZoneRequest, examples: { keqiao: { summary: 'Keqiao as seeded (PUT to /directory/zones/keqiao)', value: keqiaoZoneExample } } })
  @created(ZoneResponse)
  @replaced(ZoneResponse)
  @ApiProblemResponses(invalid('nothing else'))
  async putZone(@Param() { code }: ZoneCodeParams, @Body() body: PutZoneRequest, @Res({ passthrough: true }) res: Response): Promise<ZoneResponse> {
    return toZoneResponse(answer(res, await this.admin.putZone(code, body)));
  }

  @Put('pairings/:countyCode/:zoneCode')
  @ApiOperation({
    summary: 'Pair a county with an advanced zone, or edit the pair',
    description: `${CREATE_OR_REPLACE} A pair created here has \`source\` \`admin\`; editing a pair keeps its source, so the article's pairs stay \`article-2022\`.`,
  })
  @ApiBody({ type: PutPairingRequest, examples: { suichang: { summary: 'Pair Suichang with Fuyang (illustrative; PUT to /directory/pairings/suichang/fuyang)', value: suichangFuyangPairingExample } } })
  @created(PairingResponse)
  @replaced(PairingResponse)
  @ApiProblemResponses(invalid('the county or the zone of the path'))
  async putPairing(@Param() { countyCode, zoneCode }: PairingParams, @Body() body: PutPairingRequest, @Res({ passthrough: true }) res: Response): Promise<PairingResponse> {
    return toPairingResponse(answer(res, await this.admin.putPairing(countyCode, zoneCode, body)));
  }

  @Delete('pairings/:countyCode/:zoneCode')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unpair a county and an advanced zone' })
  @ApiNoContentResponse({ description: 'Unpaired.' })
  @ApiProblemResponses(
    { status: 400, description: 'A code in the path is not a directory code (`VALIDATION_FAILED`).' },
    { status: 404, description: 'The two are not paired (`NOT_FOUND`).' },
  )
  async deletePairing(@Param() { countyCode, zoneCode }: PairingParams): Promise<void> {
    await this.admin.deletePairing(countyCode, zoneCode);
  }

  @Put('organisations/:code')
  @ApiOperation({ summary: 'Create or replace a reviewing organisation', description: `${CREATE_OR_REPLACE} A city commerce bureau names its city, which must be in the directory.` })
  @ApiBody({ type: PutOrganisationRequest, examples: { lishui: { summary: '丽水市商务局 as seeded (PUT to /directory/organisations/lishui-commerce)', value: lishuiCommerceExample } } })
  @created(OrganisationResponse)
  @replaced(OrganisationResponse)
  @ApiProblemResponses(invalid('`cityCode`'))
  async putOrganisation(@Param() { code }: OrganisationCodeParams, @Body() body: PutOrganisationRequest, @Res({ passthrough: true }) res: Response): Promise<OrganisationResponse> {
    return toOrganisationResponse(answer(res, await this.admin.putOrganisation(code, body)));
  }
}

/** 201 for a record the PUT created, 200 for one it replaced. */
function answer<T>(res: Response, written: Written<T>): T {
  res.status(written.created ? 201 : 200);
  return written.record;
}
