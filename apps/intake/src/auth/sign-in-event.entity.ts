import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SignInOutcome = 'signed_in' | 'wrong_password' | 'unknown_user' | 'locked_out';

/** One sign-in attempt, whatever its outcome: the security log admins read. */
@Entity({ name: 'sign_in_events' })
@Index('sign_in_events_at_idx', ['at'])
export class SignInEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** As typed (at most 100 characters), so an attack on a name that does not exist shows too. */
  @Column({ type: 'text' })
  username!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ name: 'client_address', type: 'text' })
  clientAddress!: string;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'text' })
  outcome!: SignInOutcome;
}
