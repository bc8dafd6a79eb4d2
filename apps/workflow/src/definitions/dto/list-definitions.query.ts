import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ListDefinitionsQuery {
  @ApiPropertyOptional({ description: 'Every published version, not only the newest of each kind.', enum: ['true', 'false'], default: 'false', example: 'true' })
  @IsOptional() @IsIn(['true', 'false'])
  all?: 'true' | 'false';
}
