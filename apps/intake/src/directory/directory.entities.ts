import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Prefecture cities. */
@Entity({ name: 'cities' })
export class CityRecord {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;
}

/** The mountain counties, dated: the list changed in 2024 and 2025. */
@Entity({ name: 'counties' })
export class CountyRecord {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'city_code', type: 'text' })
  cityCode!: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;
}

@Entity({ name: 'advanced_zones' })
export class AdvancedZoneRecord {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'city_name', type: 'text' })
  cityName!: string;

  @Column({ type: 'text' })
  email!: string;
}

@Entity({ name: 'pairings' })
export class PairingRecord {
  @PrimaryColumn({ name: 'county_code', type: 'text' })
  countyCode!: string;

  @PrimaryColumn({ name: 'zone_code', type: 'text' })
  zoneCode!: string;

  @Column({ name: 'platform_name', type: 'text', nullable: true })
  platformName!: string | null;

  /** `article-2022` for the pairs the source article names, `demo` for illustrative ones. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  note!: string;
}

@Entity({ name: 'organisations' })
export class OrganisationRecord {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'city_code', type: 'text', nullable: true })
  cityCode!: string | null;

  @Column({ type: 'text' })
  email!: string;

  /** Bumped on every change; published with the record, so replicas keep only the newest (see directory-publisher). */
  @Column({ type: 'bigint', default: 1 })
  version!: string;
}

export type UserRole = 'applicant' | 'reviewer' | 'stakeholder' | 'admin';

/** A person who signs in. Exactly one of county / organisation / zone is set, matching the role. */
@Entity({ name: 'users' })
export class UserRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: UserRole;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'county_code', type: 'text', nullable: true })
  countyCode!: string | null;

  @Column({ name: 'organisation_code', type: 'text', nullable: true })
  organisationCode!: string | null;

  @Column({ name: 'zone_code', type: 'text', nullable: true })
  zoneCode!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** A reviewer who supervises their organisation's work: told when one of its steps is escalated (督办). */
  @Column({ type: 'boolean', default: false })
  supervisor!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Bumped on every change; published with the record, so replicas keep only the newest (see directory-publisher). */
  @Column({ type: 'bigint', default: 1 })
  version!: string;
}
