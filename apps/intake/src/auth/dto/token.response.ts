import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TokenResponse {
  @ApiProperty({ description: 'A signed JWT for `Authorization: Bearer …`' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn!: number;

  @ApiProperty({ description: 'Single use: trade it at POST /auth/refresh for a new pair' })
  refreshToken!: string;

  @ApiProperty({ example: 1209600 })
  refreshExpiresIn!: number;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'qingyuan' }) username!: string;
  @ApiProperty({ example: '庆元县人民政府' }) name!: string;
  @ApiProperty({ example: 'qingyuan@county.shanhai.example' }) email!: string;
  @ApiProperty({ enum: ['applicant', 'reviewer', 'stakeholder', 'admin'] }) role!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'qingyuan' }) county!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) organisation!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) zone!: string | null;
}
