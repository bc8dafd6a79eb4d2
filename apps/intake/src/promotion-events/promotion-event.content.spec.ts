import { describe, expect, it } from '@jest/globals';
import type { Submission } from '../submissions/submissions.service.js';
import { qingyuanEventExample } from './dto/promotion-event.request.js';
import type { PromotionEventPatch, PromotionEventRequest } from './dto/promotion-event.request.js';
import { draftFields, nullFields, patchFields, requestOf } from './promotion-event.content.js';

const example = (): PromotionEventRequest => structuredClone(qingyuanEventExample);

/** The stored draft as SubmissionsService keeps what draftFields gives it. */
function stored(body: PromotionEventRequest): Submission {
  const fields = draftFields(body, 'qingyuan');
  return { ...fields, countyCode: 'qingyuan' } as unknown as Submission;
}

describe('an event as a draft submission', () => {
  it('keeps the title, contact and paired zone generic, and the rest as content', () => {
    const fields = draftFields(example(), 'qingyuan');
    expect(fields).toMatchObject({ title: qingyuanEventExample.title, pairedZoneCode: 'keqiao', contact: qingyuanEventExample.contact });
    expect(fields.content).toMatchObject({ hostOrganisationCode: 'lishui-commerce', date: '2027-06-29', budgetWan: 45.5 });
    expect(fields.content).not.toHaveProperty('title');
    expect(fields.content).not.toHaveProperty('contact');
  });

  it("defaults the lists to none and the paired county to the applicant's own", () => {
    const { coOrganisers: _c, supportingUnits: _s, invitedOfficials: _i, pairedCountyCode: _p, ...required } = example();
    expect(draftFields(required, 'qingyuan').content).toMatchObject({ coOrganisers: [], supportingUnits: [], invitedOfficials: [], pairedCountyCode: 'qingyuan' });
  });

  it('reads back the request it was made from', () => {
    expect(requestOf(stored(example()))).toEqual(example());
  });
});

describe('editing a draft event', () => {
  const current = stored({ ...example(), pairedCountyCode: 'qingtian' });
  const patched = (patch: PromotionEventPatch) => patchFields(current, patch);

  it('changes only what is given, and never stores the version', () => {
    const fields = patched({ venue: '庆元县香菇城会议中心', version: 4 });
    expect(fields.content).toEqual({ ...current.content, venue: '庆元县香菇城会议中心' });
    expect(fields.content).not.toHaveProperty('version');
    expect(fields.title).toBe(current.title);
  });

  it('replaces the whole contact, phone included', () => {
    expect(patched({ contact: { name: '林主任', email: 'lin@county.shanhai.example' } }).contact).toEqual({ name: '林主任', email: 'lin@county.shanhai.example' });
  });

  it("resets optional fields given as null: lists to none, the paired county to the applicant's own", () => {
    const patch = { coOrganisers: null, pairedCountyCode: null } as unknown as PromotionEventPatch;
    expect(nullFields(patch)).toEqual([]);
    expect(patched(patch).content).toMatchObject({ coOrganisers: [], pairedCountyCode: 'qingyuan', supportingUnits: qingyuanEventExample.supportingUnits });
  });

  it('refuses null for a required field, naming each', () => {
    expect(nullFields({ title: null, venue: null, coOrganisers: null, theme: '新主题' }).map((p) => p.field)).toEqual(['title', 'venue']);
  });
});
