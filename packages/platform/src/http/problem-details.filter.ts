import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, errorStatus, type FieldProblem } from './domain-error.js';

/** An RFC 9457 problem document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://shanhai.dev/problems/';

/** Raised by the validation pipe with every field problem of a request. */
export class RequestValidationError extends HttpException {
  constructor(readonly problems: FieldProblem[]) {
    super('request validation failed', HttpStatus.BAD_REQUEST);
  }
}

/** Maps every error leaving a controller to `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(error);
    problem.instance = request.originalUrl;
    if (problem.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (error instanceof DomainError) for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown): ProblemDocument {
    if (error instanceof RequestValidationError) {
      return {
        type: `${PROBLEM_TYPE_BASE}validation-failed`,
        title: 'The request is not valid',
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: `${error.problems.length} problem(s): ${error.problems.map((p) => p.field).join(', ')}`,
        errors: error.problems,
      };
    }
    if (error instanceof DomainError) {
      return {
        ...error.extensions,
        type: `${PROBLEM_TYPE_BASE}${error.code.toLowerCase().replaceAll('_', '-')}`,
        title: titleOf(error.code),
        status: errorStatus[error.code],
        code: error.code,
        detail: error.message,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : error.message;
      return { type: 'about:blank', title: HttpStatus[status]?.replaceAll('_', ' ').toLowerCase() ?? 'error', status, detail };
    }
    const bodyError = error as { type?: string; status?: number; message?: string };
    if (bodyError?.type === 'entity.too.large' || bodyError?.type === 'entity.parse.failed') {
      const status = bodyError.status ?? 400;
      return { type: 'about:blank', title: status === 413 ? 'payload too large' : 'malformed body', status, detail: bodyError.message ?? '' };
    }
    return { type: 'about:blank', title: 'internal server error', status: 500 };
  }
}

const titleOf = (code: string): string => code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');
