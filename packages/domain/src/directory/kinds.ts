/**
 * The directory's vocabulary. Intake owns the directory and its seed
 * (`apps/intake/src/directory/seed-data/`); the other services learn organisations from its
 * messages. What stays here is what a rule or a message may name.
 */

/** What a reviewing organisation is; a city's commerce bureau also names its city. */
export type OrganisationKind =
  | 'city_commerce_bureau'
  | 'province_commerce'
  | 'province_commerce_office'
  | 'consulted_department'
  | 'province_government'
  | 'province_government_office';

/** Where a seeded pairing (结对) comes from: the 2022 article, or the local demonstration. */
export type PairingSource = 'article-2022' | 'demo';
