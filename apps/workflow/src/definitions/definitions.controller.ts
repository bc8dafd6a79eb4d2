import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, Roles } from '@shanhai/platform';
import { definitions } from './definitions.js';

class StepDefinitionResponse {
  @ApiProperty({ example: 'city_pre_review' }) key!: string;
  @ApiProperty({ example: '市商务局初审' }) name!: string;
  @ApiProperty({ description: 'Who reviews: a fixed organisation code, or a rule resolved per submission', example: 'city_commerce_bureau' })
  reviewer!: string;
}

class DefinitionResponse {
  @ApiProperty({ description: 'The submission kind it reviews', example: 'zone_plan' }) key!: string;
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @ApiProperty({ example: '经济开发区创建方案审批' }) name!: string;
  @ApiProperty({ type: [StepDefinitionResponse] }) steps!: StepDefinitionResponse[];
}

class DefinitionListResponse {
  @ApiProperty({ type: [DefinitionResponse] }) items!: DefinitionResponse[];
}

@ApiTags('definitions')
@ApiBearerAuth('bearer')
@Roles('reviewer', 'admin')
@ApiProblemResponses({ status: 401, description: 'No valid access token.' }, { status: 403, description: 'Not a reviewer or an admin.' })
@Controller('definitions')
export class DefinitionsController {
  @Get()
  @ApiOperation({ summary: 'The approval definitions in force, one per submission kind' })
  @ApiOkResponse({ type: DefinitionListResponse })
  list(): DefinitionListResponse {
    return {
      items: Object.values(definitions).flatMap((d) =>
        d
          ? [{ key: d.key, version: d.version, name: d.name, steps: d.steps.map((s) => ({ key: s.key, name: s.name, reviewer: s.reviewer.kind === 'organisation' ? s.reviewer.code : s.reviewer.kind })) }]
          : [],
      ),
    };
  }
}
