import { describe, expect, it } from '@jest/globals';
import type { ValidationError } from '@nestjs/common';
import { IsNumber, validate } from 'class-validator';
import { decimalPlaces, fieldProblems, MaxDecimalPlaces } from './validation.js';

const error = (property: string, constraints: Record<string, string> = {}, children: ValidationError[] = []): ValidationError => ({
  property,
  constraints,
  children,
});

describe(fieldProblems.name, () => {
  it('names nested fields by path and joins the messages of one field', () => {
    const problems = fieldProblems([
      error('zoneName', { isNotEmpty: 'zoneName should not be empty', maxLength: 'zoneName is too long' }),
      error('blocks', {}, [error('0', {}, [error('area', { isPositive: 'area must be a positive number' })])]),
      error('owner', { whitelistValidation: 'property owner should not exist' }),
    ]);
    expect(problems).toEqual([
      { field: 'zoneName', message: 'zoneName should not be empty; zoneName is too long' },
      { field: 'blocks.0.area', message: 'area must be a positive number' },
      { field: 'owner', message: 'unknown field' },
    ]);
  });
});

describe(MaxDecimalPlaces.name, () => {
  class Area {
    @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimalPlaces(4)
    km2!: number;
  }
  const problemsOf = async (km2: unknown) => (await validate(Object.assign(new Area(), { km2 }))).flatMap((e) => Object.keys(e.constraints ?? {}));

  it('counts decimals in exponent notation, where IsNumber({ maxDecimalPlaces }) throws', () => {
    expect([3.52, 12, 1e-7, 1.25e-5, 5e-324, 1e21, -0.0001].map(decimalPlaces)).toEqual([2, 0, 7, 7, 324, 0, 4]);
  });

  it('refuses more decimals than allowed, however the number is written, and leaves non-numbers to IsNumber', async () => {
    await expect(problemsOf(3.5201)).resolves.toEqual([]);
    await expect(problemsOf(3.52011)).resolves.toEqual(['maxDecimalPlaces']);
    await expect(problemsOf(1e-7)).resolves.toEqual(['maxDecimalPlaces']);
    await expect(problemsOf(5e-324)).resolves.toEqual(['maxDecimalPlaces']);
    await expect(problemsOf('3.5')).resolves.toEqual(['isNumber']);
  });
});
