import type { OrganisationKind, PairingSource } from '@shanhai/domain';

/**
 * The domain names these as types only; the API needs them as values. Written as records so a kind
 * added to (or dropped from) the domain's type stops this file compiling until it follows.
 */
const kinds: Record<OrganisationKind, true> = {
  city_commerce_bureau: true,
  province_commerce: true,
  province_commerce_office: true,
  consulted_department: true,
  province_government: true,
  province_government_office: true,
};
export const organisationKinds = Object.keys(kinds) as OrganisationKind[];

/** Where a pairing comes from: the seed's two sources, and `admin` for the pairs an admin adds. */
const sources: Record<PairingSource | 'admin', true> = { 'article-2022': true, demo: true, admin: true };
export const pairingSources = Object.keys(sources) as (PairingSource | 'admin')[];
