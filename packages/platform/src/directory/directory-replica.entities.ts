import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An organisation as intake's directory last published it (see DirectoryReplica). */
@Entity({ name: 'directory_organisations' })
@Index('directory_organisations_kind_city_idx', ['kind', 'cityCode'])
export class ReplicaOrganisation {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'city_code', type: 'text', nullable: true })
  cityCode!: string | null;

  /** The directory's version of the record: an older message never overwrites a newer one. */
  @Column({ type: 'bigint' })
  version!: string;
}

/** An account as intake's directory last published it: who belongs to which organisation or county. */
@Entity({ name: 'directory_users' })
@Index('directory_users_organisation_idx', ['organisationCode'])
export class ReplicaUser {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'organisation_code', type: 'text', nullable: true })
  organisationCode!: string | null;

  @Column({ name: 'county_code', type: 'text', nullable: true })
  countyCode!: string | null;

  @Column({ name: 'zone_code', type: 'text', nullable: true })
  zoneCode!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** Told when one of the organisation's steps is escalated (督办). */
  @Column({ type: 'boolean', default: false })
  supervisor!: boolean;

  @Column({ type: 'bigint' })
  version!: string;
}

export const directoryReplicaEntities = [ReplicaOrganisation, ReplicaUser];
