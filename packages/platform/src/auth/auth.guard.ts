import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../http/domain-error.js';
import { AuthError, unauthenticated } from './auth-error.js';
import { IS_PUBLIC, REQUIRED_ROLES } from './decorators.js';
import type { AuthenticatedRequest, Role } from './principal.js';
import { TokenRevocations } from './token-revocations.js';
import { TokenService } from './token.service.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Global guard: every route needs `Authorization: Bearer <access token>` unless marked `@Public()`;
 * `@Roles(...)` narrows who may call it. The verified principal goes on the request (`@CurrentUser()`).
 * Routes served outside Nest's router (Swagger UI and JSON under /docs) never reach a guard.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is guarded here; queue workers are not routes. Any other transport is refused until it has its own guard.
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = BEARER.exec(request.header('authorization') ?? '')?.[1];
    if (!token) throw unauthenticated('an access token is required (Authorization: Bearer <token>)');
    try {
      request.principal = await this.tokens.verifyAccess(token);
    } catch (error) {
      if (error instanceof AuthError) throw unauthenticated(error.message, error.code);
      throw error;
    }
    if (this.revocations.refuses(request.principal)) {
      throw unauthenticated('this token was revoked: the account was deactivated or its password reset; sign in again', 'TOKEN_REVOKED');
    }

    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new DomainError('FORBIDDEN', `this route is for ${roles.join(' or ')} only`);
    }
    return true;
  }
}
