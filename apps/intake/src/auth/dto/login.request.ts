import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'qingyuan' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  username!: string;

  @ApiProperty({ example: 'shanhai-demo', format: 'password' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  password!: string;
}

export class RefreshRequest {
  @ApiProperty({ description: 'The refresh token from the last login or refresh', example: 'q7c9i8W3jXb2Xr5oZ9pY0tA1uN4mE6sK8dF2gH5jL0w' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  refreshToken!: string;
}
