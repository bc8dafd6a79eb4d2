import type { SubmissionKind } from '../submission/kinds.js';

/** What a field, an attachment or a block is called, for Chinese and for English readers. */
export interface Label {
  readonly zh: string;
  readonly en: string;
}
export type Lang = keyof Label;

/**
 * The declared fields of a submission kind, as one tree. The paths a correction notice may name
 * and the paths the revision diff compares both come from it, so a reviewer can name exactly
 * what the diff shows.
 */
export type FieldSpec = ValueField | GroupField | ListField;

/** A leaf: a text, a number, a code (null when an optional field is left out). */
export interface ValueField {
  readonly type: 'value';
  readonly label: Label;
}

/** An object with named members. */
export interface GroupField {
  readonly type: 'group';
  readonly label: Label;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Its members' labels say enough on their own: '北至', not '四至 北至'. */
  readonly quiet?: boolean;
}

/** An array, each element of the same spec; element paths exist only for the indices a revision has. */
export interface ListField {
  readonly type: 'list';
  readonly label: Label;
  readonly item: FieldSpec;
  /** An element's label when it has no name: `{n}` is its number from 1 ('第{n}个区块'). */
  readonly itemLabel: Label;
  /** The member whose text names an element (a block's `name`: '司前区块'). */
  readonly named?: string;
}

const value = (zh: string, en: string): ValueField => ({ type: 'value', label: { zh, en } });

const group = (zh: string, en: string, fields: Record<string, FieldSpec>, options: { quiet?: boolean } = {}): GroupField => ({
  type: 'group',
  label: { zh, en },
  fields,
  ...(options.quiet ? { quiet: true } : {}),
});

const list = (zh: string, en: string, item: FieldSpec, itemLabel: Label, named?: string): ListField => ({
  type: 'list',
  label: { zh, en },
  item,
  itemLabel,
  ...(named === undefined ? {} : { named }),
});

/*
 * The fields of each submission kind as a revision snapshot holds them: `title`, and under
 * `content` the kind's content as intake sends it in `submission.submitted`, plus the paired
 * zone and the contact (which intake keeps beside the content). Field names follow intake's
 * requests (apps/intake/src/submissions/dto/zone-plan.request.ts,
 * apps/intake/src/promotion-events/dto/promotion-event.request.ts).
 */

const contact = group('联系人', 'contact', {
  name: value('姓名', 'name'),
  email: value('电子邮箱', 'email'),
  phone: value('电话', 'phone'),
});

const pairedZoneCode = value('结对开发区', 'paired advanced zone');

const block = group('区块', 'block', {
  name: value('名称', 'name'),
  areaKm2: value('面积（平方公里）', 'area (km²)'),
  boundary: group(
    '四至',
    'boundaries',
    { east: value('东至', 'east boundary'), south: value('南至', 'south boundary'), west: value('西至', 'west boundary'), north: value('北至', 'north boundary') },
    { quiet: true },
  ),
});

/** 经济开发区创建方案: the title is the zone's name. */
const zonePlan = group('', '', {
  title: value('开发区名称', 'zone name'),
  content: group(
    '方案内容',
    'plan',
    {
      blocks: list('区块', 'blocks', block, { zh: '第{n}个区块', en: 'block {n}' }, 'name'),
      leadingIndustries: list('主导产业', 'leading industries', value('主导产业', 'leading industry'), { zh: '第{n}个主导产业', en: 'leading industry {n}' }),
      landUseConformity: value('土地利用规划符合性', 'conformity with the land-use plan'),
      planEiaReviewRef: value('规划环评审查意见文号', 'reference of the plan environmental impact review opinion'),
      plannedInvestmentYi: value('计划投资（亿元）', 'planned investment (100 million yuan)'),
      pairedZoneCode,
      contact,
    },
    { quiet: true },
  ),
});

const units = (zh: string, en: string, one: string, oneEn: string): ReturnType<typeof list> =>
  list(zh, en, value(one, oneEn), { zh: `第{n}个${one}`, en: `${oneEn} {n}` });

/** 招商推介会. */
const promotionEvent = group('', '', {
  title: value('标题', 'title'),
  content: group(
    '活动内容',
    'event',
    {
      theme: value('主题', 'theme'),
      date: value('举办日期', 'date'),
      venue: value('地点', 'venue'),
      hostUnit: value('主办单位', 'host unit'),
      hostOrganisationCode: value('主办单位（审核机构）', 'host organisation (reviewing)'),
      coOrganisers: units('承办单位', 'co-organisers', '承办单位', 'co-organiser'),
      supportingUnits: units('协办单位', 'supporting units', '协办单位', 'supporting unit'),
      pairedCountyCode: value('结对山区县', 'paired mountain county'),
      pairedZoneCode,
      targetIndustryChain: value('目标产业链', 'target industry chain'),
      expectedParticipants: value('预计参会人数', 'expected participants'),
      invitedOfficials: units('拟邀领导', 'invited officials', '拟邀领导', 'invited official'),
      budgetWan: value('经费预算（万元）', 'budget (10 000 yuan)'),
      budgetSource: value('经费来源', 'budget source'),
      securityPlan: value('安全保卫方案', 'security plan'),
      contact,
    },
    { quiet: true },
  ),
});

/** The declared fields of each kind: the one definition of the paths a return may name and the diff compares. */
export const submissionFields: Record<SubmissionKind, GroupField> = { zone_plan: zonePlan, promotion_event: promotionEvent };
