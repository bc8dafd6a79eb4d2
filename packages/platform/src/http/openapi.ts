import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
  type ReferenceObject,
  type SchemaObject,
} from '@nestjs/swagger';
import type { UnauthenticatedReason } from '../auth/auth-error.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency/idempotency.interceptor.js';
import { PROBLEM_TYPE_BASE } from './problem-details.filter.js';

/** Swagger UI; the OpenAPI 3 document itself is at `/docs-json`. */
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Declared before authentication lands, so operations can name it as soon as they need it. */
export const BEARER_SCHEME = 'bearer';

export interface OpenApiOptions {
  /** e.g. "Shanhai intake" */
  readonly title: string;
  readonly description: string;
  /** The API's version, 0.1.0 unless given. */
  readonly version?: string;
  /** The service's tags, each with a description; `health` is added for every service. */
  readonly tags?: readonly { readonly name: string; readonly description: string }[];
}

/** What a service gets when it names nothing better. */
export const defaultOpenApiOptions = (service: string): OpenApiOptions => ({
  title: `Shanhai ${service}`,
  description: `The HTTP API of Shanhai's ${service} service.`,
});

/** Builds the OpenAPI 3 document from the app's controllers and DTOs (explicit decorators; there is no CLI plugin under ESM + tsc). */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version ?? '0.1.0')
    // Relative: the service that serves the document, wherever it runs.
    .addServer('/', 'This service')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from intake\'s `POST /auth/login`, sent as `Authorization: Bearer <token>`.' },
      BEARER_SCHEME,
    );
  for (const tag of [...(options.tags ?? []), healthTag]) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemSchema, FieldProblemSchema],
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  // Operations are public unless they say otherwise (`@ApiBearerAuth(BEARER_SCHEME)`),
  // which overrides this document-wide "none".
  document.security ??= [];
  documentIdempotencyKey(document);
  documentContentTypes(document);
  return document;
}

/**
 * ContentTypeGuard serves every operation that takes a body: each one documents the 415 it may
 * answer, with its `accepts` member, unless it documents its own.
 */
function documentContentTypes(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of MUTATING_METHODS) {
      const operation = item[method];
      if (!operation?.requestBody || operation.responses['415']) continue;
      const accepts = Object.keys((operation.requestBody as { content?: object }).content ?? {});
      const schema = { allOf: [{ $ref: getSchemaPath(ProblemSchema) }, { type: 'object', properties: { accepts: { type: 'array', items: { type: 'string' }, description: 'The content types the operation takes.' } } }] };
      const example = { type: `${PROBLEM_TYPE_BASE}unsupported-media-type`, title: 'Unsupported media type', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: `this operation takes ${accepts.join(' or ')}, not text/plain`, accepts };
      operation.responses['415'] = { description: `The body is not ${accepts.join(' or ')} (\`UNSUPPORTED_MEDIA_TYPE\`, with \`accepts\`).`, content: { [PROBLEM_CONTENT_TYPE]: { schema, example } } };
    }
  }
}

const IDEMPOTENCY_PARAMETER = 'IdempotencyKey';
const MUTATING_METHODS = ['post', 'put', 'patch', 'delete'] as const;

/**
 * The IdempotencyInterceptor serves every mutating operation: each one gets the optional
 * `Idempotency-Key` header (one shared parameter) and the 409/422 it may answer, added to the
 * operation's own 409/422 when it documents one already.
 */
function documentIdempotencyKey(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.parameters = {
    ...document.components.parameters,
    [IDEMPOTENCY_PARAMETER]: {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: send a new key (1 to 255 visible ASCII characters, e.g. a UUID) with each command, and the same key when you retry it. ' +
        'A retry with the same key and the same request gets the first response again, with `Idempotent-Replayed: true`, and changes nothing. ' +
        'The same key with another request is refused (422 `IDEMPOTENCY_KEY_REUSED`); while the first request still runs, a retry gets 409 `IDEMPOTENCY_IN_PROGRESS`. ' +
        'Only successful responses are remembered (not those marked `Cache-Control: no-store`), for 24 hours and per caller, method and path: after an error the same key may be retried.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
      example: '5f0c9a6e-3d1b-4f7a-9c2e-8b4d6a1e0f37',
    },
  };
  const added = {
    409: { code: 'IDEMPOTENCY_IN_PROGRESS', title: 'Idempotency in progress', detail: 'a request with this Idempotency-Key is still being processed; retry later' },
    422: { code: 'IDEMPOTENCY_KEY_REUSED', title: 'Idempotency key reused', detail: 'this Idempotency-Key was used for another request; use a new key' },
  } as const;
  for (const item of Object.values(document.paths)) {
    for (const method of MUTATING_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters = [...(operation.parameters ?? []), { $ref: `#/components/parameters/${IDEMPOTENCY_PARAMETER}` }];
      for (const [status, problem] of Object.entries(added)) {
        const because = `With \`${IDEMPOTENCY_KEY_HEADER}\`: \`${problem.code}\`, ${problem.detail}.`;
        const existing = operation.responses[status] as { description?: string } | undefined;
        if (existing) {
          if (typeof existing.description === 'string') existing.description = `${existing.description} ${because}`;
          continue;
        }
        const example = { type: `${PROBLEM_TYPE_BASE}${problem.code.toLowerCase().replaceAll('_', '-')}`, title: problem.title, status: Number(status), code: problem.code, detail: problem.detail };
        operation.responses[status] = { description: because, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) }, example } } };
      }
    }
  }
}

/** Serves Swagger UI at `/docs` and the document at `/docs-json`. Call before `listen`. */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const document = buildOpenApiDocument(app, options);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: options.title,
  });
  return document;
}

const healthTag = { name: 'health', description: 'Readiness of the service: its database and Redis.' };

/** One problem with one field of a request. */
@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemSchema {
  @ApiProperty({ description: 'The field path, nested fields joined by dots.', example: 'stakeholders.0.email' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it; several problems of one field are joined by `; `.', example: 'email must be an email' })
  message!: string;
}

/**
 * An RFC 9457 problem document: every error the services answer. Domain errors also carry
 * members of their own (e.g. `current` on a conflict), which the operation documents.
 */
@ApiSchema({ name: 'Problem' })
export class ProblemSchema {
  @ApiProperty({
    description: `\`${PROBLEM_TYPE_BASE}<code>\` for the services' own errors, \`about:blank\` otherwise.`,
    example: `${PROBLEM_TYPE_BASE}validation-failed`,
  })
  type!: string;

  @ApiProperty({ description: 'A short summary of the kind of problem.', example: 'The request is not valid' })
  title!: string;

  @ApiProperty({ description: 'The HTTP status code.', example: 400, type: 'integer' })
  status!: number;

  @ApiPropertyOptional({ description: 'What went wrong with this request.', example: '1 problem(s): contact.email' })
  detail?: string;

  @ApiPropertyOptional({ description: 'The request path.', example: '/zone-plans' })
  instance?: string;

  @ApiPropertyOptional({
    description: 'The error code, for the services\' own errors: `VALIDATION_FAILED`, `NOT_FOUND`, `TASK_CLOSED`, `STALE_VERSION`, …',
    example: 'VALIDATION_FAILED',
  })
  code?: string;

  @ApiPropertyOptional({
    description: 'Every field problem: with `VALIDATION_FAILED` (the body, query or headers such as `If-Match`), and with the refusals that name fields (e.g. `ATTACHMENTS_MISSING`).',
    type: [FieldProblemSchema],
  })
  errors?: FieldProblemSchema[];
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** A problem response an operation documents in its own words, optionally with extra members. */
export interface ProblemResponseOptions {
  readonly status: ProblemStatus;
  readonly description?: string;
  /** Members beyond the Problem schema, e.g. `{ current: { $ref } }`. */
  readonly extensions?: Record<string, SchemaObject | ReferenceObject>;
  readonly example?: Record<string, unknown>;
}

// Every reason a 401 gives, so a new one without a word here does not compile.
const unauthenticatedReasons = {
  TOKEN_MISSING: 'no token sent',
  TOKEN_INVALID: 'the token is not valid',
  TOKEN_EXPIRED: 'refreshing may help',
  TOKEN_REVOKED: 'only signing in again can help',
  CREDENTIALS_INVALID: 'unknown user or wrong password',
} satisfies Record<UnauthenticatedReason, string>;

/** Members every problem of a status carries beyond the Problem schema, whoever raises it. */
const statusMembers: Partial<Record<ProblemStatus, Record<string, SchemaObject>>> = {
  401: {
    reason: {
      type: 'string',
      enum: Object.keys(unauthenticatedReasons),
      description: `Why: ${Object.entries(unauthenticatedReasons).map(([reason, meaning]) => `\`${reason}\` (${meaning})`).join(', ')}.`,
    },
  },
};

const problemDefaults: Record<ProblemStatus, { description: string; example: Record<string, unknown> }> = {
  400: {
    description: 'The request is not valid (`VALIDATION_FAILED`): every field problem is listed in `errors`.',
    example: {
      type: `${PROBLEM_TYPE_BASE}validation-failed`,
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: '1 problem(s): contact.email',
      errors: [{ field: 'contact.email', message: 'email must be an email' }],
    },
  },
  401: {
    description: 'No valid access token (`UNAUTHENTICATED`).',
    example: {
      type: `${PROBLEM_TYPE_BASE}unauthenticated`,
      title: 'Unauthenticated',
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: 'an access token is required (Authorization: Bearer <token>)',
      reason: 'TOKEN_MISSING',
    },
  },
  403: {
    description: 'The signed-in user may not do this (`FORBIDDEN`).',
    example: { type: `${PROBLEM_TYPE_BASE}forbidden`, title: 'Forbidden', status: 403, code: 'FORBIDDEN', detail: 'this route is for reviewer only' },
  },
  404: {
    description: 'Nothing has this id (`NOT_FOUND`).',
    example: { type: `${PROBLEM_TYPE_BASE}not-found`, title: 'Not found', status: 404, code: 'NOT_FOUND', detail: 'no such resource' },
  },
  409: {
    description: 'The request conflicts with the current state.',
    example: { type: 'about:blank', title: 'conflict', status: 409, detail: 'the request conflicts with the current state' },
  },
  413: {
    description: 'The body is larger than 256 kB.',
    example: { type: 'about:blank', title: 'payload too large', status: 413, detail: 'request entity too large' },
  },
  415: {
    description: 'The content is none of the accepted types (`UNSUPPORTED_MEDIA_TYPE`).',
    example: {
      type: `${PROBLEM_TYPE_BASE}unsupported-media-type`,
      title: 'Unsupported media type',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'the content is none of the accepted types',
    },
  },
  422: {
    description: 'The request is well-formed but the rules refuse it.',
    example: { type: 'about:blank', title: 'unprocessable entity', status: 422, detail: 'the rules refuse this request' },
  },
  429: {
    description: 'Too many attempts: wait `Retry-After` seconds.',
    example: { type: `${PROBLEM_TYPE_BASE}sign-in-locked`, title: 'Sign in locked', status: 429, code: 'SIGN_IN_LOCKED', detail: 'too many failed sign-ins: try again in 900 s', retryAfter: 900 },
  },
};

/** The 400 of an operation whose path names a resource by UUID, for an id that is not one. */
export const malformedIdProblem: ProblemResponseOptions = {
  status: 400,
  description: 'The id in the path is not a UUID.',
  example: { type: 'about:blank', title: 'bad request', status: 400, detail: 'Validation failed (uuid is expected)' },
};

/**
 * Documents an operation's error responses as `application/problem+json` with the Problem schema:
 * `@ApiProblemResponses(400, 404)`, or `{ status, description, extensions, example }` for one in its own words.
 */
export function ApiProblemResponses(...responses: (ProblemStatus | ProblemResponseOptions)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema, FieldProblemSchema),
    ...responses.map((given) => {
      const options = typeof given === 'number' ? { status: given } : given;
      const defaults = problemDefaults[options.status];
      const problem = { $ref: getSchemaPath(ProblemSchema) };
      const members = { ...statusMembers[options.status], ...options.extensions };
      const schema = Object.keys(members).length ? { allOf: [problem, { type: 'object' as const, properties: members }] } : problem;
      return ApiResponse({
        status: options.status,
        description: options.description ?? defaults.description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema, example: options.example ?? defaults.example } },
      });
    }),
  );
}

/**
 * The problems of a guarded controller or operation: 401 without a valid token, and — when the
 * route is limited to some roles — 403 with `forbidden` saying who may use it.
 */
export const ApiAuthProblems = (forbidden?: string): MethodDecorator & ClassDecorator =>
  ApiProblemResponses(401, ...(forbidden ? [{ status: 403 as const, description: forbidden }] : []));
