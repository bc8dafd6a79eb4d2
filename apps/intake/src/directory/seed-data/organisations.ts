import type { OrganisationKind } from '@shanhai/domain';
import { cities } from './counties.js';

/**
 * Reviewing organisations. Mail addresses are demo addresses on the reserved `.example` domain
 * (RFC 2606): a deployment sets its own in the directory.
 */
export interface Organisation {
  readonly code: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly email: string;
  readonly cityCode?: string;
}

const demoEmail = (code: string): string => `${code}@shanhai.example`;
const org = (code: string, name: string, kind: OrganisationKind, cityCode?: string): Organisation => ({
  code,
  name,
  kind,
  email: demoEmail(code),
  ...(cityCode ? { cityCode } : {}),
});

export const organisations: readonly Organisation[] = [
  // One per city: workflow resolves a zone plan's first step (初审) to the bureau of the applicant's city.
  ...cities.map((c) => org(`${c.code}-commerce`, `${c.name}商务局`, 'city_commerce_bureau', c.code)),
  org('zj-commerce', '浙江省商务厅', 'province_commerce'),
  org('zj-commerce-office', '浙江省商务厅办公室', 'province_commerce_office'),
  org('zj-nr', '浙江省自然资源厅', 'consulted_department'),
  org('zj-drc', '浙江省发展和改革委员会', 'consulted_department'),
  org('zj-eco', '浙江省生态环境厅', 'consulted_department'),
  org('zj-gov', '浙江省人民政府', 'province_government'),
  // Issues the reply letter (复函) once the provincial government has approved.
  org('zj-gov-office', '浙江省人民政府办公厅', 'province_government_office'),
];
