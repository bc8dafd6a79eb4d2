import { Body, Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthProblems, ApiProblemResponses } from '@shanhai/platform';
import { CurrentUser, Public, type Principal } from '@shanhai/platform';
import { AuthService } from './auth.service.js';
import { SIGN_IN_LIMITS } from './sign-in-limits.js';
import { LoginRequest, RefreshRequest } from './dto/login.request.js';
import { MeResponse, TokenResponse } from './dto/token.response.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  // Tokens are never cached: not by clients (RFC 6749 §5.1), not in idempotency_keys.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Sign in with a username and password' })
  @ApiBody({ type: LoginRequest, examples: { applicant: { summary: 'The Qingyuan county demo account', value: { username: 'qingyuan', password: 'shanhai-demo' } } } })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblemResponses(
    { status: 400, description: 'A field is missing or unknown.' },
    { status: 401, description: 'Unknown user or wrong password, told apart by neither message nor timing (`UNAUTHENTICATED`).' },
    {
      status: 429,
      description: `Too many failed sign-ins for the account (by default ${SIGN_IN_LIMITS.account.failures} in ${SIGN_IN_LIMITS.account.windowSeconds / 60} min) or from the client address (${SIGN_IN_LIMITS.address.failures} in ${SIGN_IN_LIMITS.address.windowSeconds / 60} min): locked out for \`retryAfter\` seconds, also sent as \`Retry-After\` (\`SIGN_IN_LOCKED\`). An admin may lift it (\`DELETE /auth/lockouts/{kind}/{key}\`).`,
      extensions: { retryAfter: { type: 'integer', description: 'Seconds until the lock-out lifts by itself.', example: 900 } },
    },
  )
  login(@Body() body: LoginRequest, @Req() request: Request): Promise<TokenResponse> {
    return this.auth.login(body.username, body.password, { address: request.ip ?? request.socket.remoteAddress ?? 'unknown', userAgent: request.header('user-agent') ?? null });
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Trade a refresh token for a new token pair (each refresh token works once)' })
  @ApiBody({ type: RefreshRequest, examples: { refresh: { summary: 'A refresh token from POST /auth/login', value: { refreshToken: 'q7c9i8W3jXb2Xr5oZ9pY0tA1uN4mE6sK8dF2gH5jL0w' } } } })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblemResponses({ status: 400, description: 'The field is missing.' }, { status: 401, description: 'The refresh token is unknown, expired, revoked or already used (`UNAUTHENTICATED`).' })
  refresh(@Body() body: RefreshRequest): Promise<TokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth('bearer')
  @ApiAuthProblems()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentUser() principal: Principal): Promise<MeResponse> {
    const u = await this.auth.me(principal);
    return { id: u.id, username: u.username, name: u.name, email: u.email, role: u.role, county: u.countyCode, organisation: u.organisationCode, zone: u.zoneCode };
  }
}
