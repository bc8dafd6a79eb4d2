import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from './domain-error.js';
import { RequestValidationError } from './problem-details.filter.js';

/** Flattens class-validator's tree into one problem per field path (`blocks.0.area`), its messages joined. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const messages = Object.values(e.constraints ?? {}).map((m) => (/^property \S+ should not exist$/.test(m) ? 'unknown field' : m));
    const own = messages.length ? [{ field, message: messages.join('; ') }] : [];
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

/** Whitelists known fields, refuses unknown ones, and reports every problem at once. */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });
