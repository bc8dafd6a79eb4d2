import { describe, expect, it } from '@jest/globals';
import type { ValidationError } from '@nestjs/common';
import { fieldProblems } from './validation.js';

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
