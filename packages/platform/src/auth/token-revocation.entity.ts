import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One account whose earlier tokens are refused (see TokenRevocations and its migration). */
@Entity({ name: 'token_revocations' })
export class TokenRevocationRecord {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** `infinity` for an inactive account. */
  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
