import { describe, expect, it } from '@jest/globals';
import type { DeficiencyNote } from './instance.state.js';
import { deficiencyProblems, diffRevisions, leaves, type AttachedFile, type RevisionSnapshot } from './revision.js';

const file = (kind: string, sha: string, filename = `${kind}.pdf`): AttachedFile => ({ kind, filename, sha256: sha.repeat(64).slice(0, 64) });

const plan: RevisionSnapshot = {
  fields: {
    title: '遂昌经济开发区创建方案',
    content: {
      county: 'suichang',
      areaKm2: 12.5,
      blocks: [
        { name: '一区', areaKm2: 4 },
        { name: '二区', areaKm2: 8.5 },
      ],
      industries: ['金属制品', '特色农产品加工'],
      contact: { name: '张三', phone: '0578-1234567' },
    },
  },
  attachments: [file('application_letter', 'a'), file('feasibility_report', 'b'), file('land_use_plan', 'c')],
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

  it('reports added, removed and changed fields by their nested paths', () => {
    const next: RevisionSnapshot = {
      ...plan,
      fields: {
        title: '遂昌经济开发区创建方案（修订）',
        content: {
          county: 'suichang',
          areaKm2: 12.5,
          blocks: [{ name: '一区', areaKm2: 4.2 }, { name: '二区', areaKm2: 8.5 }, { name: '三区', areaKm2: 1 }],
          industries: ['金属制品'],
          contact: { name: '张三', phone: '0578-1234567', email: 'zhang@suichang.example' },
        },
      },
    };
    expect(diffRevisions(plan, next)).toEqual({
      fields: [
        { path: 'content.blocks.0.areaKm2', change: 'changed', before: 4, after: 4.2 },
        { path: 'content.blocks.2.areaKm2', change: 'added', after: 1 },
        { path: 'content.blocks.2.name', change: 'added', after: '三区' },
        { path: 'content.contact.email', change: 'added', after: 'zhang@suichang.example' },
        { path: 'content.industries.1', change: 'removed', before: '特色农产品加工' },
        { path: 'title', change: 'changed', before: '遂昌经济开发区创建方案', after: '遂昌经济开发区创建方案（修订）' },
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

describe(deficiencyProblems.name, () => {
  const field = (ref: string, note = '请补充'): DeficiencyNote => ({ target: 'field', ref, note });
  const attachment = (ref: string, note = '请补充'): DeficiencyNote => ({ target: 'attachment', ref, note });

  it.each<[string, DeficiencyNote]>([
    ['a top-level field', field('title')],
    ['a leaf field', field('content.areaKm2')],
    ['an object field', field('content.contact')],
    ['an array field', field('content.blocks')],
    ['an array element', field('content.blocks.1')],
    ['a field of an array element', field('content.blocks.0.areaKm2')],
    ['a missing optional member of an existing object', field('content.contact.email')],
    ['a missing member of an array element', field('content.blocks.1.note')],
    ['an attachment the revision carries', attachment('feasibility_report')],
    ['a zone plan document kind the revision lacks', attachment('plan_eia_review_opinion')],
  ])('accepts %s', (_, deficiency) => {
    expect(deficiencyProblems([deficiency], 'zone_plan', plan)).toEqual([]);
  });

  it.each<[string, DeficiencyNote, string]>([
    ['an unknown top-level field', field('budget'), 'the submission has no field budget'],
    ['an unknown field under a missing object', field('content.finance.budget'), 'the submission has no field content.finance.budget'],
    ['a member of a leaf value', field('content.areaKm2.unit'), 'the submission has no field content.areaKm2.unit'],
    ['an array element past the end', field('content.blocks.5'), 'the submission has no field content.blocks.5'],
    ['a field of an array element past the end', field('content.blocks.5.areaKm2'), 'the submission has no field content.blocks.5.areaKm2'],
    ['a member that is not a name', field('content.contact.not a name'), 'the submission has no field content.contact.not a name'],
    ['an empty field reference', field(''), 'the submission has no field '],
  ])('refuses %s', (_, deficiency, message) => {
    expect(deficiencyProblems([field('title'), deficiency], 'zone_plan', plan)).toEqual([{ field: 'deficiencies.1.ref', message }]);
  });

  it('refuses an unknown attachment kind, naming the kinds it knows', () => {
    expect(deficiencyProblems([attachment('business_license')], 'zone_plan', plan)).toEqual([
      {
        field: 'deficiencies.0.ref',
        message: 'business_license is not an attachment of this submission (known: application_letter, feasibility_report, land_use_plan, site_selection_opinion, plan_eia_review_opinion)',
      },
    ]);
  });

  it('knows only the carried attachments of a promotion event', () => {
    const event: RevisionSnapshot = { fields: { title: '推介会' }, attachments: [file('agenda', '1')] };
    expect(deficiencyProblems([attachment('agenda')], 'promotion_event', event)).toEqual([]);
    expect(deficiencyProblems([attachment('land_use_plan')], 'promotion_event', event)).toEqual([
      { field: 'deficiencies.0.ref', message: 'land_use_plan is not an attachment of this submission (known: agenda)' },
    ]);
    expect(deficiencyProblems([attachment('agenda')], 'promotion_event', { ...event, attachments: [] })).toEqual([
      { field: 'deficiencies.0.ref', message: 'agenda is not an attachment of this submission (known: none)' },
    ]);
  });

  it('refuses a deficiency listed twice, at the second, and tells a field from an attachment of the same name', () => {
    const withLetterField: RevisionSnapshot = { ...plan, fields: { ...plan.fields, application_letter: '见附件' } };
    expect(
      deficiencyProblems(
        [field('content.areaKm2', '面积与规划不符'), attachment('land_use_plan'), field('application_letter'), attachment('application_letter'), field('content.areaKm2', '另一条意见')],
        'zone_plan',
        withLetterField,
      ),
    ).toEqual([{ field: 'deficiencies.4.ref', message: 'deficiencies.0 already names this field: list each once, with every note in it' }]);
    expect(deficiencyProblems([attachment('land_use_plan'), attachment('land_use_plan')], 'zone_plan', plan)).toEqual([
      { field: 'deficiencies.1.ref', message: 'deficiencies.0 already names this attachment: list each once, with every note in it' },
    ]);
  });

  it('reports every problem of a notice, each at its own index', () => {
    const problems = deficiencyProblems([field('nowhere'), attachment('nothing'), field('title'), field('nowhere')], 'zone_plan', plan);
    expect(problems.map((p) => p.field)).toEqual(['deficiencies.0.ref', 'deficiencies.1.ref', 'deficiencies.3.ref', 'deficiencies.3.ref']);
  });

  it('accepts an empty notice (requiring deficiencies is the instance’s rule)', () => {
    expect(deficiencyProblems([], 'zone_plan', plan)).toEqual([]);
  });
});
