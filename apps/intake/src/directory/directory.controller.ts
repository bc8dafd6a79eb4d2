import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryService } from './directory.service.js';
import { CountiesQuery } from './dto/directory.query.js';

/** The directory, read by every signed-in user; admins maintain it (a later change). */
@ApiTags('directory')
@ApiBearerAuth('bearer')
@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('counties')
  @ApiOperation({ summary: 'The mountain counties with their cities and validity dates' })
  async counties(@Query() query: CountiesQuery) {
    const rows = await this.directory.counties(query.on);
    return {
      items: rows.map((c) => ({ code: c.code, name: c.name, city: { code: c.cityCode, name: c.cityName }, validFrom: c.validFrom, validTo: c.validTo })),
    };
  }

  @Get('zones')
  @ApiOperation({ summary: 'Advanced development zones' })
  async zones() {
    return { items: (await this.directory.zones()).map((z) => ({ code: z.code, name: z.name, cityName: z.cityName, email: z.email })) };
  }

  @Get('pairings')
  @ApiOperation({ summary: 'County–zone pairings (结对); `source` says where each pair comes from' })
  async pairings() {
    return {
      items: (await this.directory.pairings()).map((p) => ({
        countyCode: p.countyCode,
        zoneCode: p.zoneCode,
        platformName: p.platformName,
        source: p.source,
        note: p.note,
      })),
    };
  }

  @Get('organisations')
  @ApiOperation({ summary: 'Reviewing organisations' })
  async organisations() {
    return {
      items: (await this.directory.organisations()).map((o) => ({ code: o.code, name: o.name, kind: o.kind, cityCode: o.cityCode, email: o.email })),
    };
  }
}
