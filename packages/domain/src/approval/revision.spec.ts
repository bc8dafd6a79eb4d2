import { describe, expect, it } from '@jest/globals';
import { boundary, file, plan } from './revision.fixtures.js';
import { diffRevisions, leaves, type RevisionSnapshot } from './revision.js';



interface PlanContent {
  blocks: { name: string; areaKm2: number; boundary: typeof boundary }[];
  leadingIndustries: string[];
  plannedInvestmentYi: number | null;
  pairedZoneCode: string;
  contact: { name: string; email: string; phone?: string };
  [undeclared: string]: unknown;
}

/** The plan with its content changed by `change` (on a deep copy). */
const revised = (change: (content: PlanContent) => void, attachments = plan.attachments): RevisionSnapshot => {
  const fields = structuredClone(plan.fields) as { title: string; content: PlanContent };
  change(fields.content);
  return { fields, attachments };
};

describe(leaves.name, () => {
  it('names every leaf by its dot path, arrays by index, empty containers as leaves', () => {
    expect([...leaves({ a: 1, b: { c: [1, { d: null }], e: {}, f: [] } }).entries()]).toEqual([
      ['a', 1],
      ['b.c.0', 1],
      ['b.c.1.d', null],
      ['b.e', {}],
      ['b.f', []],
    ]);
  });

  it('has no leaves for an empty tree', () => {
    expect(leaves({}).size).toBe(0);
  });
});

describe(diffRevisions.name, () => {
  it('finds nothing between identical revisions, or a revision and its deep copy', () => {
    expect(diffRevisions(plan, plan)).toEqual({ fields: [], attachments: [] });
    expect(diffRevisions(plan, structuredClone(plan))).toEqual({ fields: [], attachments: [] });
  });

  it('ignores a renamed attachment with the same content hash', () => {
    const renamed = { ...plan, attachments: plan.attachments.map((f) => ({ ...f, filename: `v2-${f.filename}` })) };
    expect(diffRevisions(plan, renamed).attachments).toEqual([]);
  });

  it('reports added, removed and changed JSON leaves by their nested paths, without the kind', () => {
    const next = revised((c) => {
      c.blocks[0]!.areaKm2 = 4.2;
      c.leadingIndustries.pop();
      c.contact.phone = '0578-1234567';
      c.anything = { new: 1 };
    });
    expect(diffRevisions(plan, next)).toEqual({
      fields: [
        { path: 'content.anything.new', change: 'added', after: 1 },
        { path: 'content.blocks.0.areaKm2', change: 'changed', before: 4, after: 4.2 },
        { path: 'content.contact.phone', change: 'added', after: '0578-1234567' },
        { path: 'content.leadingIndustries.1', change: 'removed', before: '特色农产品加工' },
      ],
      attachments: [],
    });
  });

  it('sorts numeric path segments by number, not as text', () => {
    const blocks = (n: number) => ({ fields: { blocks: Array.from({ length: n }, (_, i) => ({ areaKm2: i })) }, attachments: [] });
    const paths = diffRevisions(blocks(1), blocks(12)).fields.map((f) => f.path);
    expect(paths).toEqual(Array.from({ length: 11 }, (_, i) => `blocks.${i + 1}.areaKm2`));
    // An emptied array is a leaf of its own, and comes before the paths it had.
    expect(diffRevisions(blocks(3), blocks(0)).fields.map((f) => `${f.change} ${f.path}`)).toEqual([
      'added blocks',
      'removed blocks.0.areaKm2',
      'removed blocks.1.areaKm2',
      'removed blocks.2.areaKm2',
    ]);
    // A shorter path comes before a longer one with the same prefix; names sort as text.
    const mixed = diffRevisions({ fields: {}, attachments: [] }, { fields: { b: { 10: 1, 2: { x: 1 }, a: 1 }, a: [1], b2: 1 }, attachments: [] });
    expect(mixed.fields.map((f) => f.path)).toEqual(['a.0', 'b.2.x', 'b.10', 'b.a', 'b2']);
  });

  it('reports a value that became an object, or an emptied array, leaf by leaf', () => {
    const before = { fields: { contact: '张三', industries: ['金属制品'], note: {} }, attachments: [] };
    const after = { fields: { contact: { name: '张三' }, industries: [], note: [] }, attachments: [] };
    expect(diffRevisions(before, after).fields).toEqual([
      { path: 'contact', change: 'removed', before: '张三' },
      { path: 'contact.name', change: 'added', after: '张三' },
      { path: 'industries', change: 'added', after: [] },
      { path: 'industries.0', change: 'removed', before: '金属制品' },
      { path: 'note', change: 'changed', before: {}, after: [] },
    ]);
  });

  it('tells a value from its absence and null from a missing field', () => {
    const diff = diffRevisions({ fields: { a: null, b: 0 }, attachments: [] }, { fields: { a: 0, c: null }, attachments: [] });
    expect(diff.fields).toEqual([
      { path: 'a', change: 'changed', before: null, after: 0 },
      { path: 'b', change: 'removed', before: 0 },
      { path: 'c', change: 'added', after: null },
    ]);
  });

  it('reports attachments added, removed and replaced (by content hash), sorted by kind', () => {
    const replaced = file('land_use_plan', 'd', 'land_use_plan.pdf');
    const added = file('site_selection_opinion', 'e');
    const next: RevisionSnapshot = { ...plan, attachments: [added, replaced, plan.attachments[0]!] };
    expect(diffRevisions(plan, next)).toEqual({
      fields: [],
      attachments: [
        { kind: 'feasibility_report', change: 'removed', before: plan.attachments[1] },
        { kind: 'land_use_plan', change: 'replaced', before: plan.attachments[2], after: replaced },
        { kind: 'site_selection_opinion', change: 'added', after: added },
      ],
    });
  });

  it('reads the diff in the other direction as its inverse', () => {
    const next: RevisionSnapshot = { fields: { title: 'x', content: { areaKm2: 3 } }, attachments: [file('land_use_plan', 'f')] };
    const forward = diffRevisions(plan, next);
    const backward = diffRevisions(next, plan);
    const invert = { added: 'removed', removed: 'added', changed: 'changed', replaced: 'replaced' } as const;
    expect(backward.fields).toEqual(
      forward.fields.map((f) => ({ path: f.path, change: invert[f.change], ...(f.after !== undefined ? { before: f.after } : {}), ...(f.before !== undefined ? { after: f.before } : {}) })),
    );
    expect(backward.attachments).toEqual(
      forward.attachments.map((a) => ({ kind: a.kind, change: invert[a.change], ...(a.after ? { before: a.after } : {}), ...(a.before ? { after: a.before } : {}) })),
    );
  });
});

describe(`${diffRevisions.name} of a kind`, () => {
  it('reports every changed declared field with its label: paired zone, contact, leading industries, block fields, an added block', () => {
    const next = revised((c) => {
      c.pairedZoneCode = 'yuhang';
      c.contact.phone = '0578-1234567';
      c.leadingIndustries[1] = '生物医药';
      c.blocks[0]!.boundary = { ...boundary, north: '北至规划路' };
      c.blocks[1]!.areaKm2 = 8.6;
      c.blocks.push({ name: '三川区块', areaKm2: 1, boundary });
      c.plannedInvestmentYi = 45.6;
      c.undeclared = 'ignored';
    });
    const added = (field: string, value: string | number, zh: string, en: string) => ({ path: `content.blocks.2.${field}`, change: 'added', after: value, label: { zh: `三川区块 ${zh}`, en: `三川区块: ${en}` } });
    expect(diffRevisions(plan, next, 'zone_plan').fields).toEqual([
      { path: 'content.blocks.0.boundary.north', change: 'changed', before: '北至龙丽温高速', after: '北至规划路', label: { zh: '司前区块 北至', en: '司前区块: north boundary' } },
      { path: 'content.blocks.1.areaKm2', change: 'changed', before: 8.5, after: 8.6, label: { zh: '上江区块 面积（平方公里）', en: '上江区块: area (km²)' } },
      added('name', '三川区块', '名称', 'name'),
      added('areaKm2', 1, '面积（平方公里）', 'area (km²)'),
      added('boundary.east', boundary.east, '东至', 'east boundary'),
      added('boundary.south', boundary.south, '南至', 'south boundary'),
      added('boundary.west', boundary.west, '西至', 'west boundary'),
      added('boundary.north', boundary.north, '北至', 'north boundary'),
      { path: 'content.leadingIndustries.1', change: 'changed', before: '特色农产品加工', after: '生物医药', label: { zh: '第2个主导产业', en: 'leading industry 2' } },
      { path: 'content.plannedInvestmentYi', change: 'changed', before: null, after: 45.6, label: { zh: '计划投资（亿元）', en: 'planned investment (100 million yuan)' } },
      { path: 'content.pairedZoneCode', change: 'changed', before: 'keqiao', after: 'yuhang', label: { zh: '结对开发区', en: 'paired advanced zone' } },
      { path: 'content.contact.phone', change: 'added', after: '0578-1234567', label: { zh: '联系人 电话', en: 'contact: phone' } },
    ]);
  });

  it('labels a removed block from the revision that had it, in the order of the form', () => {
    const diff = diffRevisions(plan, revised((c) => void c.blocks.pop()), 'zone_plan');
    expect(diff.fields.map((f) => `${f.change} ${f.path} ${f.label?.zh}`)).toEqual([
      'removed content.blocks.1.name 上江区块 名称',
      'removed content.blocks.1.areaKm2 上江区块 面积（平方公里）',
      'removed content.blocks.1.boundary.east 上江区块 东至',
      'removed content.blocks.1.boundary.south 上江区块 南至',
      'removed content.blocks.1.boundary.west 上江区块 西至',
      'removed content.blocks.1.boundary.north 上江区块 北至',
    ]);
  });

  it('reports attachments replaced, added and removed, with their names', () => {
    const replaced = file('land_use_plan', 'd');
    const added = file('plan_eia_review_opinion', 'e');
    const diff = diffRevisions(plan, revised(() => undefined, [plan.attachments[0]!, replaced, added]), 'zone_plan');
    expect(diff).toEqual({
      fields: [],
      attachments: [
        { kind: 'feasibility_report', change: 'removed', before: plan.attachments[1], label: { zh: '可行性报告', en: 'feasibility report' } },
        { kind: 'land_use_plan', change: 'replaced', before: plan.attachments[2], after: replaced, label: { zh: '土地利用规划', en: 'land-use plan' } },
        { kind: 'plan_eia_review_opinion', change: 'added', after: added, label: { zh: '规划环评审查意见', en: 'review opinion on the plan environmental impact assessment' } },
      ],
    });
  });

  it('compares an event’s fields, and does not trip over junk where a list or a group is declared', () => {
    const event = (content: Record<string, unknown>): RevisionSnapshot => ({ fields: { title: '推介会', content }, attachments: [] });
    const diff = diffRevisions(event({ venue: '会展中心', coOrganisers: ['县政府'], contact: 'x' }), event({ venue: '体育馆', coOrganisers: 'none', contact: null, x: [1] }), 'promotion_event');
    expect(diff.fields).toEqual([
      { path: 'content.venue', change: 'changed', before: '会展中心', after: '体育馆', label: { zh: '地点', en: 'venue' } },
      { path: 'content.coOrganisers.0', change: 'removed', before: '县政府', label: { zh: '第1个承办单位', en: 'co-organiser 1' } },
    ]);
    expect(diffRevisions({ fields: {}, attachments: [] }, event({ venue: '体育馆' }), 'promotion_event').fields.map((f) => f.path)).toEqual(['title', 'content.venue']);
  });
});
