import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@shanhai/platform';
import { Type } from 'class-transformer';
import { IsBoolean, IsByteLength, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { DIRECTORY_CODE_PATTERN, IsDirectoryCode } from './directory.params.js';

const apply = (...decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));
const name = apply(IsString(), IsNotEmpty(), MaxLength(200));
const email = apply(IsEmail(), MaxLength(254));
/** bcrypt reads 72 bytes at most: a longer password is refused rather than silently cut. */
const password = apply(IsString(), MinLength(12), IsByteLength(0, 72, { message: 'password must be at most 72 bytes (UTF-8)' }));
const role = IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` });
/** May be left out, but not sent as null: only the scope fields can be cleared. */
const IsOmittable = () => ValidateIf((_, value) => value !== undefined);
const scope = (description: string, example: string) =>
  ApiPropertyOptional({ type: 'string', nullable: true, description, example, pattern: DIRECTORY_CODE_PATTERN });

const SUPERVISOR_RULE = 'A reviewer who supervises their organisation’s work (科室负责人, 分管领导): told when one of its steps is escalated (督办). Only for a reviewer.';
const SCOPE_RULE = 'Each role needs exactly its own scope: `county` for an applicant, `organisation` for a reviewer, `zone` for a stakeholder, none for an admin.';

export const newReviewerExample = {
  username: 'lishui-reviewer-2',
  password: 'a-long-passphrase-2025',
  role: 'reviewer',
  name: '丽水市商务局 审核员（二）',
  email: 'lishui-reviewer-2@shanhai.example',
  organisation: 'lishui-commerce',
};

/** A new account. */
export class CreateUserRequest {
  @ApiProperty({ description: 'Unique; lowercase letters, digits and hyphens', example: newReviewerExample.username, pattern: '^[a-z0-9-]{2,64}$' })
  @Matches(/^[a-z0-9-]{2,64}$/, { message: 'username must be 2 to 64 lowercase letters, digits or hyphens' })
  username!: string;

  @ApiProperty({ format: 'password', minLength: 12, description: 'At least 12 characters, at most 72 bytes', example: newReviewerExample.password })
  @password
  password!: string;

  @ApiProperty({ enum: ROLES, description: SCOPE_RULE, example: newReviewerExample.role }) @role role!: Role;
  @ApiProperty({ example: newReviewerExample.name }) @name name!: string;
  @ApiProperty({ format: 'email', example: newReviewerExample.email }) @email email!: string;

  @scope('An applicant’s county', 'qingyuan') @IsOptional() @IsDirectoryCode() county?: string | null;
  @scope('A reviewer’s organisation', newReviewerExample.organisation) @IsOptional() @IsDirectoryCode() organisation?: string | null;
  @scope('A stakeholder’s advanced zone', 'keqiao') @IsOptional() @IsDirectoryCode() zone?: string | null;

  @ApiPropertyOptional({ description: SUPERVISOR_RULE, default: false, example: false })
  @IsOmittable() @IsBoolean()
  supervisor?: boolean;
}

/**
 * A change to an account: only the fields sent change. Sending a role or a scope field re-checks the
 * scope: the role's own scope field is kept unless sent, the others are cleared.
 */
export class UpdateUserRequest {
  @ApiPropertyOptional({ example: '丽水市商务局 审核员' }) @IsOmittable() @name name?: string;
  @ApiPropertyOptional({ format: 'email', example: 'reviewer@lishui-commerce.shanhai.example' }) @IsOmittable() @email email?: string;

  @ApiPropertyOptional({
    description: 'false: login and refresh fail from now on, and the user’s refresh tokens are revoked (access tokens already issued run out within their lifetime); true lets them sign in again. Not for your own account.',
    example: false,
  })
  @IsOmittable() @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'password', minLength: 12, description: 'A new password; it revokes the user’s refresh tokens', example: 'another-long-passphrase' })
  @IsOmittable() @password
  password?: string;

  @ApiPropertyOptional({ enum: ROLES, description: `${SCOPE_RULE} Not for your own account.`, example: 'reviewer' }) @IsOmittable() @role role?: Role;

  @scope('An applicant’s county; null clears it', 'qingyuan') @IsOptional() @IsDirectoryCode() county?: string | null;
  @scope('A reviewer’s organisation; null clears it', 'zj-nr') @IsOptional() @IsDirectoryCode() organisation?: string | null;
  @scope('A stakeholder’s advanced zone; null clears it', 'keqiao') @IsOptional() @IsDirectoryCode() zone?: string | null;

  @ApiPropertyOptional({ description: `${SUPERVISOR_RULE} A change of role away from reviewer clears it.`, example: true })
  @IsOmittable() @IsBoolean()
  supervisor?: boolean;
}

/** Named examples of PATCH /directory/users/{id}; each is valid for any account but your own (`supervise`: a reviewer's). */
export const updateUserExamples = {
  rename: { summary: 'Change the name and address', value: { name: '丽水市商务局 审核员', email: 'reviewer@lishui-commerce.shanhai.example' } },
  move: { summary: 'Make the user a reviewer of 浙江省自然资源厅', value: { role: 'reviewer', organisation: 'zj-nr' } },
  resetPassword: { summary: 'Reset the password', value: { password: 'another-long-passphrase' } },
  deactivate: { summary: 'Deactivate the account', value: { active: false } },
  supervise: { summary: 'Make the reviewer a supervisor of their organisation (told of its escalated steps)', value: { supervisor: true } },
};

export class ListUsersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Page size.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'How many to skip, by username.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}
