import { cities } from './counties.js';

/**
 * Reviewing organisations. Mail addresses are demo addresses on the reserved `.example` domain
 * (RFC 2606): real deployments configure their own when the directory moves into the database.
 */
export interface Organisation {
  readonly code: string;
  readonly name: string;
  readonly email: string;
}

const demoEmail = (code: string): string => `${code}@shanhai.example`;

const cityCommerceBureaus: Organisation[] = cities.map((c) => ({
  code: `${c.code}-commerce`,
  name: `${c.name}商务局`,
  email: demoEmail(`${c.code}-commerce`),
}));

export const organisations: readonly Organisation[] = [
  ...cityCommerceBureaus,
  { code: 'zj-commerce', name: '浙江省商务厅', email: demoEmail('zj-commerce') },
  { code: 'zj-gov', name: '浙江省人民政府', email: demoEmail('zj-gov') },
];

export function findOrganisation(code: string): Organisation | undefined {
  return organisations.find((o) => o.code === code);
}

/** The commerce bureau of a prefecture city: the first reviewer of its counties' plans. */
export const cityCommerceBureauCode = (cityCode: string): string => `${cityCode}-commerce`;
