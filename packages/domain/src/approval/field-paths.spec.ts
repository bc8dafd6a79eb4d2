import { describe, expect, it } from '@jest/globals';
import { attachmentLabel, deficiencyLabel, fieldLabel, fieldPaths, fieldValues, hasFieldPath, labelOf } from './field-paths.js';

const boundary = (north: string) => ({ east: '东至S228省道', south: '南至松源溪', west: '西至山体', north });

/** A zone plan's fields as workflow keeps them from `submission.submitted` (no planned investment given). */
const plan = {
  fields: {
    title: '浙江遂昌经济开发区',
    content: {
      blocks: [
        { name: '司前区块', areaKm2: 3.52, boundary: boundary('北至龙丽温高速') },
        { name: '', areaKm2: 2.18, boundary: boundary('北至山体') },
      ],
      leadingIndustries: ['金属制品', '特色农产品加工'],
      landUseConformity: '符合遂昌县国土空间总体规划',
      planEiaReviewRef: '丽环建〔2021〕8号（示例）',
      plannedInvestmentYi: null,
      pairedZoneCode: 'keqiao',
      contact: { name: '遂昌县人民政府 林主任', email: 'suichang@county.shanhai.example' },
      junk: { anything: 1 },
    },
  },
};

const event = {
  fields: {
    title: '山海协作·庆元生态工业产业链招商推介会',
    content: { theme: '竹木制品产业链协作招商', date: '2027-06-29', venue: '庆元县会展中心', coOrganisers: ['庆元县人民政府'], expectedParticipants: 300 },
  },
};

describe(fieldPaths.name, () => {
  it('lists every declared field of a plan, each block and leading industry the revision has, and no undeclared member', () => {
    const paths = fieldPaths('zone_plan', plan);
    expect(paths.slice(0, 10)).toEqual([
      'title',
      'content',
      'content.blocks',
      'content.blocks.0',
      'content.blocks.0.name',
      'content.blocks.0.areaKm2',
      'content.blocks.0.boundary',
      'content.blocks.0.boundary.east',
      'content.blocks.0.boundary.south',
      'content.blocks.0.boundary.west',
    ]);
    expect(paths).toEqual(expect.arrayContaining(['content.blocks.1.boundary.north', 'content.leadingIndustries.1', 'content.plannedInvestmentYi', 'content.contact.phone']));
    expect(paths).not.toContain('content.blocks.2');
    expect(paths).not.toContain('content.leadingIndustries.2');
    expect(paths.filter((p) => p.includes('junk'))).toEqual([]);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('declares the fields an event has not filled in, and none of a plan', () => {
    const paths = fieldPaths('promotion_event', event);
    expect(paths).toEqual(expect.arrayContaining(['content.venue', 'content.coOrganisers.0', 'content.supportingUnits', 'content.budgetWan', 'content.contact.email', 'content.pairedZoneCode']));
    expect(paths).not.toContain('content.coOrganisers.1');
    expect(paths).not.toContain('content.blocks');
  });

  it('lists exactly the paths a return may name', () => {
    for (const path of fieldPaths('zone_plan', plan)) expect(hasFieldPath('zone_plan', path, plan)).toBe(true);
    for (const path of fieldValues('zone_plan', plan).keys()) expect(fieldPaths('zone_plan', plan)).toContain(path);
  });
});

describe(hasFieldPath.name, () => {
  it.each([
    ['zone_plan', 'content.blocks.0.areaKm2'],
    ['zone_plan', 'content.plannedInvestmentYi'],
    ['zone_plan', 'content.contact.phone'],
    ['promotion_event', 'content.venue'],
    ['promotion_event', 'content.securityPlan'],
  ] as const)('finds %s %s', (kind, path) => {
    expect(hasFieldPath(kind, path, kind === 'zone_plan' ? plan : event)).toBe(true);
  });

  it.each([
    ['zone_plan', 'content.blocks.0.areaKM2'],
    ['zone_plan', 'content.fooBar'],
    ['zone_plan', 'content.blocks.2'],
    ['zone_plan', 'content.blocks.01'],
    ['zone_plan', 'content.blocks.-1.name'],
    ['zone_plan', 'content.blocks.0.boundary.nrth'],
    ['zone_plan', 'content.junk'],
    ['zone_plan', 'content.venue'],
    ['zone_plan', 'title.0.x'],
    ['zone_plan', 'content.landUseConformity.0'],
    ['zone_plan', 'content..blocks'],
    ['zone_plan', ''],
    ['promotion_event', 'content.title.0.x'],
    ['promotion_event', 'content.coOrganisers.99'],
    ['promotion_event', 'content.blocks.0'],
  ] as const)('does not find %s %s', (kind, path) => {
    expect(hasFieldPath(kind, path, kind === 'zone_plan' ? plan : event)).toBe(false);
  });

  it('takes any element index as given without the revision, but not an undeclared field', () => {
    expect(hasFieldPath('zone_plan', 'content.blocks.7.boundary.north', undefined)).toBe(true);
    expect(hasFieldPath('zone_plan', 'content.blocks.7.areaKM2', undefined)).toBe(false);
  });
});

describe(fieldValues.name, () => {
  it('holds the declared leaves the revision fills in, an empty one (null) included, and nothing undeclared', () => {
    const values = fieldValues('zone_plan', plan);
    expect(values.get('content.blocks.0.boundary.north')).toBe('北至龙丽温高速');
    expect(values.get('content.leadingIndustries.1')).toBe('特色农产品加工');
    expect(values.has('content.plannedInvestmentYi')).toBe(true);
    expect(values.has('content.contact.phone')).toBe(false);
    expect(values.has('content.blocks')).toBe(false);
    expect([...values.keys()].filter((p) => p.includes('junk'))).toEqual([]);
  });

  it('reads junk where a group or a list is declared as having nothing in it', () => {
    const junk = { fields: { title: { not: 'text' }, content: { blocks: 'none', contact: [1, 2], leadingIndustries: { 0: 'x' } } } };
    expect([...fieldValues('zone_plan', junk).entries()]).toEqual([['title', { not: 'text' }]]);
    expect(fieldValues('zone_plan', { fields: {} }).size).toBe(0);
  });
});

describe(fieldLabel.name, () => {
  it.each([
    ['content.blocks.0.boundary.north', '司前区块 北至', '司前区块: north boundary'],
    ['content.blocks.0.boundary', '司前区块 四至', '司前区块: boundaries'],
    ['content.blocks.0', '司前区块', '司前区块'],
    ['content.blocks.1.areaKm2', '第2个区块 面积（平方公里）', 'block 2: area (km²)'],
    ['content.blocks', '区块', 'blocks'],
    ['content.leadingIndustries.1', '第2个主导产业', 'leading industry 2'],
    ['content.contact.phone', '联系人 电话', 'contact: phone'],
    ['content.pairedZoneCode', '结对开发区', 'paired advanced zone'],
    ['title', '开发区名称', 'zone name'],
  ])('calls %s %s, in English %s', (path, zh, en) => {
    expect(fieldLabel('zone_plan', path, plan)).toEqual({ zh, en });
  });

  it('numbers a block without the revision, and has no label for an undeclared path', () => {
    expect(fieldLabel('zone_plan', 'content.blocks.0.boundary.north')).toEqual({ zh: '第1个区块 北至', en: 'block 1: north boundary' });
    expect(fieldLabel('zone_plan', 'content.fooBar', plan)).toBeUndefined();
  });

  it('labels an event’s fields', () => {
    expect(fieldLabel('promotion_event', 'content.venue', event)).toEqual({ zh: '地点', en: 'venue' });
    expect(fieldLabel('promotion_event', 'content.coOrganisers.0', event)).toEqual({ zh: '第1个承办单位', en: 'co-organiser 1' });
    expect(fieldLabel('promotion_event', 'title', event)).toEqual({ zh: '标题', en: 'title' });
  });
});

describe(labelOf.name, () => {
  it('gives one language, and the path itself for an undeclared path', () => {
    expect(labelOf('zone_plan', 'content.blocks.0.boundary.north', plan, 'zh')).toBe('司前区块 北至');
    expect(labelOf('zone_plan', 'content.blocks.0.boundary.north', plan, 'en')).toBe('司前区块: north boundary');
    expect(labelOf('zone_plan', 'content.fooBar', plan, 'en')).toBe('content.fooBar');
  });
});

describe(attachmentLabel.name, () => {
  it('names a document kind in Chinese and English, and an unknown kind as it is', () => {
    expect(attachmentLabel('plan_eia_review_opinion')).toEqual({ zh: '规划环评审查意见', en: 'review opinion on the plan environmental impact assessment' });
    expect(attachmentLabel('agenda')).toEqual({ zh: 'agenda', en: 'agenda' });
    expect(attachmentLabel('toString')).toEqual({ zh: 'toString', en: 'toString' });
  });
});

describe(deficiencyLabel.name, () => {
  it('labels a field deficiency by its field and an attachment deficiency by its document', () => {
    expect(deficiencyLabel('zone_plan', { target: 'field', ref: 'content.blocks.0.boundary.north' }, plan, 'zh')).toBe('司前区块 北至');
    expect(deficiencyLabel('zone_plan', { target: 'attachment', ref: 'land_use_plan' }, plan, 'zh')).toBe('土地利用规划');
    expect(deficiencyLabel('zone_plan', { target: 'attachment', ref: 'land_use_plan' }, undefined, 'en')).toBe('land-use plan');
  });
});
