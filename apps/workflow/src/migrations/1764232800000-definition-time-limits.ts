import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shipped chains get their clocks: each step a time limit (办理时限) and each definition a
 * committed limit (承诺时限), in working days, as new versions (published versions are immutable;
 * running instances keep the version they started on). No statutory limit was found for either
 * kind (shared/design/domain.md): these are the defaults a programme office starts from and
 * replaces by publishing its own version. An overdue step is escalated to its organisation's
 * supervisors (no `escalateTo`). Written out here, like the earlier versions, so the migration
 * means the same whatever the code's chains become.
 */
export class DefinitionTimeLimits1764232800000 implements MigrationInterface {
  name = 'DefinitionTimeLimits1764232800000';

  async up(q: QueryRunner): Promise<void> {
    const zonePlan = [
      { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 5 },
      { key: 'province_review', name: '省商务厅审核', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 10 },
      {
        key: 'joint_review',
        name: '省级部门会审',
        mode: 'all_of',
        reviewers: [
          { kind: 'organisation', code: 'zj-nr' },
          { kind: 'organisation', code: 'zj-drc' },
          { kind: 'organisation', code: 'zj-eco' },
        ],
        timeLimitBusinessDays: 10,
      },
      { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' }, timeLimitBusinessDays: 15 },
      { key: 'reply_letter', name: '省政府办公厅复函', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov-office' }, timeLimitBusinessDays: 5 },
    ];
    const promotionEvent = [
      { key: 'host_review', name: '主办单位审核', mode: 'single', reviewer: { kind: 'host_organisation' }, timeLimitBusinessDays: 3 },
      { key: 'office_approval', name: '省商务厅办公室审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce-office' }, timeLimitBusinessDays: 5 },
    ];
    const publish = (key: string, name: string, steps: unknown[], committed: number) =>
      q.query(
        `INSERT INTO definitions (key, version, name, steps, committed_limit_business_days, published_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, 'system' FROM definitions WHERE key = $1`,
        [key, name, JSON.stringify(steps), committed],
      );
    await publish('zone_plan', '经济开发区创建方案审批', zonePlan, 45);
    await publish('promotion_event', '招商推介会审批', promotionEvent, 8);
  }

  async down(): Promise<void> {
    // The versions stay: published definitions are immutable (the trigger refuses deletes).
  }
}
