import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** The most a version may be: the column is an int4, and nine digits stay well inside it. */
export const MAX_DEFINITION_VERSION = 999_999_999;

/**
 * `/definitions/{key}/versions/{version}`. The version is read as the path writes it, in digits: a
 * `number` parameter is converted by the global pipe before any ParseIntPipe sees it, which took
 * `1e3` as 1000 and `9007199254740993` past the column's range (a 500).
 */
export class DefinitionVersionParams {
  @ApiProperty({ description: 'The submission kind.', example: 'zone_plan' })
  @IsString()
  key!: string;

  @ApiProperty({ description: 'The version, from 1.', type: 'integer', minimum: 1, maximum: MAX_DEFINITION_VERSION, example: 1 })
  @Matches(/^[1-9]\d{0,8}$/, { message: `version must be a whole number from 1 to ${MAX_DEFINITION_VERSION}, in digits` })
  version!: string;
}
