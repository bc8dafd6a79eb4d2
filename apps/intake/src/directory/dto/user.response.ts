import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '@shanhai/platform';
import type { UserRecord } from '../directory.entities.js';

/** An account as admins see it; the password hash never leaves the service. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'lishui-commerce' }) username!: string;
  @ApiProperty({ enum: ROLES, example: 'reviewer' }) role!: string;
  @ApiProperty({ example: '丽水市商务局 审核员' }) name!: string;
  @ApiProperty({ format: 'email', example: 'lishui-commerce@shanhai.example' }) email!: string;
  @ApiProperty({ type: 'string', nullable: true, example: null }) county!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'lishui-commerce' }) organisation!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) zone!: string | null;
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ description: 'A reviewer who supervises their organisation: told when one of its steps is escalated (督办).', example: false }) supervisor!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] }) items!: UserResponse[];
  @ApiProperty({ type: 'integer', example: 15 }) total!: number;
}

export const toUserResponse = (u: UserRecord): UserResponse => ({
  id: u.id,
  username: u.username,
  role: u.role,
  name: u.name,
  email: u.email,
  county: u.countyCode,
  organisation: u.organisationCode,
  zone: u.zoneCode,
  active: u.active,
  supervisor: u.supervisor,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});
