import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, BEARER_SCHEME, DomainError, Roles } from '@shanhai/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AuthService } from './auth.service.js';
import type { SignInEvent } from './sign-in-event.entity.js';
import { SIGN_IN_LIMITS, SignInLimits, type LockKind } from './sign-in-limits.js';

class SignInQuery {
  @ApiPropertyOptional({ description: 'Only the attempts for this username, as typed.', example: 'songyang' })
  @IsOptional() @IsString() @MaxLength(100)
  username?: string;

  @ApiPropertyOptional({ description: 'How many attempts to return.', type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'How many of the newest attempts to skip.', type: 'integer', minimum: 0, maximum: 1_000_000, default: 0, example: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset?: number;
}

class SignInEventResponse {
  @ApiProperty({ format: 'date-time', example: '2026-12-03T08:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 'songyang' }) username!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Null when no active account has the name.', example: null }) userId!: string | null;
  @ApiProperty({ example: '10.1.2.3' }) clientAddress!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'Mozilla/5.0' }) userAgent!: string | null;
  @ApiProperty({ enum: ['signed_in', 'wrong_password', 'unknown_user', 'locked_out'], example: 'wrong_password' }) outcome!: string;
}

class SignInListResponse {
  @ApiProperty({ type: [SignInEventResponse] }) items!: SignInEventResponse[];
  @ApiProperty({ type: 'integer', example: 1 }) total!: number;
}

class LockoutResponse {
  @ApiProperty({ enum: Object.keys(SIGN_IN_LIMITS), example: 'account' }) kind!: string;
  @ApiProperty({ description: 'The username (lower case) or the client address.', example: 'songyang' }) key!: string;
  @ApiProperty({ type: 'integer', description: 'Seconds until it lifts by itself.', example: 840 }) retryAfter!: number;
}

const toEvent = (e: SignInEvent): SignInEventResponse => ({ at: e.at.toISOString(), username: e.username, userId: e.userId, clientAddress: e.clientAddress, userAgent: e.userAgent, outcome: e.outcome });

/** Admins read the security log of sign-ins and lift lock-outs. */
@ApiTags('auth')
@ApiBearerAuth(BEARER_SCHEME)
@Roles('admin')
@ApiProblemResponses(401, { status: 403, description: 'Only admins read the security log (`FORBIDDEN`).' })
@Controller('auth')
export class SecurityController {
  constructor(
    private readonly auth: AuthService,
    private readonly limits: SignInLimits,
  ) {}

  @Get('sign-ins')
  @ApiOperation({ summary: 'The security log: every sign-in attempt, newest first', description: 'Successful or not, with the client address and user agent.' })
  @ApiOkResponse({ type: SignInListResponse })
  @ApiProblemResponses({ status: 400, description: 'A query parameter is not valid (`VALIDATION_FAILED`).' })
  async signIns(@Query() query: SignInQuery): Promise<SignInListResponse> {
    const { items, total } = await this.auth.signIns({ ...(query.username ? { username: query.username } : {}), limit: query.limit ?? 50, offset: query.offset ?? 0 });
    return { items: items.map(toEvent), total };
  }

  @Get('lockouts')
  @ApiOperation({ summary: 'The sign-in lock-outs in force, of accounts and of client addresses' })
  @ApiOkResponse({ type: [LockoutResponse] })
  lockouts(): Promise<LockoutResponse[]> {
    return this.limits.lockouts();
  }

  @Delete('lockouts/:kind/:key')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a lock-out', description: 'The account (or address) may sign in again at once, and its failures are forgotten.' })
  @ApiParam({ name: 'kind', description: 'What is locked out: an account or a client address.', enum: Object.keys(SIGN_IN_LIMITS), example: 'account' })
  @ApiParam({ name: 'key', description: 'The username or the client address.', example: 'songyang' })
  @ApiNoContentResponse({ description: 'Lifted.' })
  @ApiProblemResponses({ status: 400, description: '`kind` is neither `account` nor `address` (`VALIDATION_FAILED`).' }, { status: 404, description: 'No such lock-out (`NOT_FOUND`).' })
  async lift(@Param('kind') kind: string, @Param('key') key: string): Promise<void> {
    if (!(kind in SIGN_IN_LIMITS)) throw new DomainError('VALIDATION_FAILED', `kind must be one of ${Object.keys(SIGN_IN_LIMITS).join(', ')}`, { errors: [{ field: 'kind', message: 'must be account or address' }] });
    if (!(await this.limits.lift(kind as LockKind, key))) throw new DomainError('NOT_FOUND', `no lock-out of ${kind} ${key}`);
  }
}
