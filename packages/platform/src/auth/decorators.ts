import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { unauthenticated } from './auth-error.js';
import type { AuthenticatedRequest, Principal, Role } from './principal.js';

export const IS_PUBLIC = 'shanhai:auth:public';
export const REQUIRED_ROLES = 'shanhai:auth:roles';

/** Lets a route (or every route of a controller) through without a token: health, metrics, login. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (or the controller's routes); others get 403. A method's list replaces its controller's. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

/** The caller's verified principal. Throws UNAUTHENTICATED where the AuthGuard did not run (a public route, or authentication off). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw unauthenticated('this route needs an authenticated caller');
  return principal;
});
