import { ApiProperty } from '@nestjs/swagger';
import { Matches, ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** How every directory record is named: `qingyuan`, `lishui-commerce`, `ningbo-meishan`. */
export const DIRECTORY_CODE = /^[a-z][a-z0-9-]{1,63}$/;
export const DIRECTORY_CODE_PATTERN = DIRECTORY_CODE.source;

/** A directory code, in a path or a body. */
export const IsDirectoryCode = (options: ValidationOptions = {}): PropertyDecorator =>
  Matches(DIRECTORY_CODE, {
    message: ({ property }: ValidationArguments) => `${property} must be a directory code: a lowercase letter, then 1 to 63 lowercase letters, digits or hyphens`,
    ...options,
  });

/** A calendar date written YYYY-MM-DD (2021-02-30 is not one, and 2021-13-01 no date at all). */
export const IsCalendarDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
        // An impossible month or day is an invalid Date, on which toISOString throws (a 500); 02-30 rolls over to March.
        const date = new Date(`${value}T00:00:00Z`);
        return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
      },
      defaultMessage: ({ property }: ValidationArguments) => `${property} must be a date written YYYY-MM-DD`,
    },
  });

/** After the date in `other` (both YYYY-MM-DD, so their text order is their time order); checked only when both are dates. */
export const IsAfterDateIn = (other: string): PropertyDecorator =>
  ValidateBy({
    name: 'isAfterDateIn',
    constraints: [other],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const before = (args?.object as Record<string, unknown> | undefined)?.[other];
        return typeof value !== 'string' || typeof before !== 'string' || value > before;
      },
      defaultMessage: ({ property }: ValidationArguments) => `${property} must be after ${other}`,
    },
  });

const code = (description: string, example: string) => ApiProperty({ description, example, pattern: DIRECTORY_CODE_PATTERN });

export class CountyCodeParams {
  @code('The county code.', 'qingyuan') @IsDirectoryCode() code!: string;
}

export class ZoneCodeParams {
  @code('The advanced zone code.', 'keqiao') @IsDirectoryCode() code!: string;
}

export class OrganisationCodeParams {
  @code('The organisation code.', 'lishui-commerce') @IsDirectoryCode() code!: string;
}

/** The pairing named in the path; the documented example is a pair an admin adds (it is not in the seed). */
export class PairingParams {
  @code('The mountain county.', 'suichang') @IsDirectoryCode() countyCode!: string;
  @code('The advanced zone.', 'fuyang') @IsDirectoryCode() zoneCode!: string;
}
