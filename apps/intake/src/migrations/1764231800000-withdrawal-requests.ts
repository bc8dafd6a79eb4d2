import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A submission remembers that its withdrawal was requested: no correction may overtake it. */
export class WithdrawalRequests1764231800000 implements MigrationInterface {
  name = 'WithdrawalRequests1764231800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE submissions ADD COLUMN withdrawal_requested_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE submissions DROP COLUMN withdrawal_requested_at');
  }
}
