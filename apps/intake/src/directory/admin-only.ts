import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblemResponses, BEARER_SCHEME, PROBLEM_TYPE_BASE, Roles } from '@shanhai/platform';

/** Admins only, as enforced and as documented: 401 without a token, 403 for any other role. */
export const AdminOnly = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(BEARER_SCHEME),
    Roles('admin'),
    ApiProblemResponses(401, {
      status: 403,
      description: 'Only admins maintain the directory (`FORBIDDEN`).',
      example: { type: `${PROBLEM_TYPE_BASE}forbidden`, title: 'Forbidden', status: 403, code: 'FORBIDDEN', detail: 'this route is for admin only' },
    }),
  );
