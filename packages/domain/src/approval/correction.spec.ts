import { describe, expect, it } from '@jest/globals';
import { stillOpen } from './correction.js';
import type { RevisionSnapshot } from './revision.js';

const sha = (c: string) => c.repeat(64);
const returned: RevisionSnapshot = {
  fields: { title: '浙江庆元经济开发区', content: { blocks: [{ name: '司前区块', areaKm2: 3.2, boundary: { north: '北至山脚' } }], contact: { name: '张', phone: '1' }, plannedInvestmentYi: null } },
  attachments: [{ kind: 'land_use_plan', filename: 'a.pdf', sha256: sha('a') }],
};
const notice = [
  { target: 'field' as const, ref: 'content.blocks.0.boundary.north', note: '四至不清。' },
  { target: 'field' as const, ref: 'content.plannedInvestmentYi', note: '请补充。' },
  { target: 'attachment' as const, ref: 'land_use_plan', note: '未盖章。' },
  { target: 'attachment' as const, ref: 'plan_eia_review_opinion', note: '缺少。' },
];

describe(stillOpen.name, () => {
  it('keeps every deficiency of a revision that changed nothing it names, key order and null/absent aside', () => {
    const same: RevisionSnapshot = {
      fields: { title: '浙江庆元经济开发区', content: { plannedInvestmentYi: undefined, contact: { phone: '1', name: '张' }, blocks: [{ boundary: { north: '北至山脚' }, areaKm2: 3.2, name: '司前区块' }] } },
      attachments: [{ kind: 'land_use_plan', filename: 'renamed.pdf', sha256: sha('a') }],
    };
    expect(stillOpen(notice, returned, same)).toEqual(notice);
  });

  it('drops each deficiency the corrected revision dealt with: a changed field, a filled-in one, a replaced or added file', () => {
    const corrected: RevisionSnapshot = {
      fields: { title: '浙江庆元经济开发区', content: { ...(returned.fields.content as object), blocks: [{ name: '司前区块', areaKm2: 3.2, boundary: { north: '北至三角岭' } }], plannedInvestmentYi: 12.5 } },
      attachments: [
        { kind: 'land_use_plan', filename: 'a.pdf', sha256: sha('b') },
        { kind: 'plan_eia_review_opinion', filename: 'e.pdf', sha256: sha('c') },
      ],
    };
    expect(stillOpen(notice, returned, corrected)).toEqual([]);
    const partly: RevisionSnapshot = { ...returned, fields: corrected.fields };
    expect(stillOpen(notice, returned, partly).map((d) => d.ref)).toEqual(['land_use_plan', 'plan_eia_review_opinion']);
  });

  it('sees a whole block or the contact change when one of its members does', () => {
    const moved: RevisionSnapshot = { ...returned, fields: { ...returned.fields, content: { ...(returned.fields.content as object), contact: { name: '张', phone: '2' } } } };
    expect(stillOpen([{ target: 'field', ref: 'content.contact' }, { target: 'field', ref: 'content.blocks.0' }], returned, moved)).toEqual([{ target: 'field', ref: 'content.blocks.0' }]);
  });
});
