import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
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

/** A number as a path or query writes one: digits, a sign and a decimal point at most. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Nest's pipe converts a single `number` parameter (`@Param('year') year: number`) with `+value`
 * before any ParseIntPipe sees it: `1e3` became 1000, `0x10` 16, `9007199254740993` a number past
 * any column (a 500). Here it must be written in digits and stay within the safe range, or the
 * request is a 400 naming the parameter.
 */
class ValidationPipeWithStrictNumbers extends ValidationPipe {
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    const { type, metatype, data } = metadata;
    if (metatype !== Number || !data || (type !== 'param' && type !== 'query') || value === undefined) return super.transformPrimitive(value, metadata);
    const n = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
      throw new RequestValidationError([{ field: data, message: `${data} must be a number written in digits, within ±${Number.MAX_SAFE_INTEGER}` }]);
    }
    return n;
  }
}

/** Whitelists known fields, refuses unknown ones, and reports every problem at once. */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipeWithStrictNumbers({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });

/** The decimal places of a number, in exponent notation too (`1e-7` has 7, `1.25e-5` has 7). */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = Math.abs(value).toString().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * At most `places` decimals. Use it rather than IsNumber's `maxDecimalPlaces`, which throws (a 500)
 * on any fraction JavaScript writes in exponent notation: `{"areaKm2": 1e-7}`. Leaves what is not
 * a finite number to IsNumber.
 */
export const MaxDecimalPlaces = (places: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [places],
      validator: {
        validate: (value: unknown) => typeof value !== 'number' || !Number.isFinite(value) || decimalPlaces(value) <= places,
        defaultMessage: buildMessage((each) => `${each}$property must have at most $constraint1 decimal places`, options),
      },
    },
    options,
  );
