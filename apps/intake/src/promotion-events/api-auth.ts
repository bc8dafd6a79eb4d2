import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { FieldProblemSchema, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, ProblemSchema } from '@shanhai/platform';

const problem = (status: 401 | 403, description: string, code: string, detail: string) =>
  ApiResponse({
    status,
    description,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: getSchemaPath(ProblemSchema) },
        example: { type: `${PROBLEM_TYPE_BASE}${code.toLowerCase()}`, title: code.charAt(0) + code.slice(1).toLowerCase(), status, code, detail },
      },
    },
  });

/**
 * The 401 every operation here answers without a valid token, and the 403 of those limited to
 * applicants. Local until the platform's ApiProblemResponses takes 401 and 403 (its ProblemStatus
 * stops at 400, 404, 409, 413, 422); then this file goes.
 */
export function ApiAuthProblems(forbidden?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema, FieldProblemSchema),
    problem(401, 'No valid access token (`UNAUTHENTICATED`).', 'UNAUTHENTICATED', 'an access token is required (Authorization: Bearer <token>)'),
    ...(forbidden ? [problem(403, forbidden, 'FORBIDDEN', 'this route is for applicant only')] : []),
  );
}
