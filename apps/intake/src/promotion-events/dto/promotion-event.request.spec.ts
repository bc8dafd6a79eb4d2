import { describe, expect, it } from '@jest/globals';
import { createValidationPipe, RequestValidationError, type FieldProblem } from '@shanhai/platform';
import { EventReportRequest, qingyuanReportExample } from './event-report.request.js';
import { PromotionEventPatch, PromotionEventRequest, qingyuanEventExample } from './promotion-event.request.js';

const pipe = createValidationPipe();

/** What the HTTP edge answers for `body`: the field problems, or [] when it passes. */
async function problems(metatype: new () => object, body: unknown): Promise<FieldProblem[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return [];
  } catch (error) {
    if (error instanceof RequestValidationError) return error.problems;
    throw error;
  }
}
const fields = async (metatype: new () => object, body: unknown) => (await problems(metatype, body)).map((p) => p.field).sort();

describe('the promotion event request', () => {
  it('takes the documented example as it stands, with every field of the request', async () => {
    await expect(problems(PromotionEventRequest, structuredClone(qingyuanEventExample))).resolves.toEqual([]);
    expect(Object.keys(qingyuanEventExample).sort()).toEqual(
      [
        'title', 'theme', 'date', 'venue', 'hostUnit', 'hostOrganisationCode', 'coOrganisers', 'supportingUnits', 'pairedCountyCode',
        'pairedZoneCode', 'targetIndustryChain', 'expectedParticipants', 'invitedOfficials', 'budgetWan', 'budgetSource', 'securityPlan', 'contact',
      ].sort(),
    );
  });

  it('needs only the required fields', async () => {
    const { coOrganisers: _c, supportingUnits: _s, invitedOfficials: _i, pairedCountyCode: _p, ...required } = qingyuanEventExample;
    await expect(problems(PromotionEventRequest, { ...required, contact: { name: '吴科长', email: 'wu@county.shanhai.example' } })).resolves.toEqual([]);
  });

  it('lists every bad field at once', async () => {
    const bad = {
      title: '',
      theme: 'x'.repeat(501),
      date: '2027-02-30',
      venue: 7,
      hostUnit: '丽水市商务局',
      hostOrganisationCode: 'Lishui Commerce',
      coOrganisers: Array.from({ length: 11 }, (_, i) => `单位${i}`),
      supportingUnits: [''],
      pairedCountyCode: 'QY',
      pairedZoneCode: 'keqiao',
      targetIndustryChain: '竹木',
      expectedParticipants: 0,
      invitedOfficials: 'nobody',
      budgetWan: -1,
      budgetSource: '县财政',
      securityPlan: '',
      contact: { name: '吴', email: 'not-an-email', phone: 'call me' },
    };
    await expect(fields(PromotionEventRequest, bad)).resolves.toEqual(
      [
        'budgetWan', 'coOrganisers', 'contact.email', 'contact.phone', 'date', 'expectedParticipants', 'hostOrganisationCode', 'invitedOfficials',
        'pairedCountyCode', 'securityPlan', 'supportingUnits', 'theme', 'title', 'venue',
      ].sort(),
    );
  });

  it.each([
    ['a date with a time', { date: '2027-06-29T09:00:00+08:00' }, 'date'],
    ['a fractional participant', { expectedParticipants: 12.5 }, 'expectedParticipants'],
    ['more than 100 000 participants', { expectedParticipants: 100_001 }, 'expectedParticipants'],
    ['a budget below the yuan', { budgetWan: 1.234 }, 'budgetWan'],
    ['51 officials', { invitedOfficials: Array.from({ length: 51 }, (_, i) => `领导${i}`) }, 'invitedOfficials'],
    ['an unknown field', { organiser: '我' }, 'organiser'],
  ])('refuses %s', async (_, change, field) => {
    await expect(fields(PromotionEventRequest, { ...structuredClone(qingyuanEventExample), ...change })).resolves.toEqual([field]);
  });

  it('calls an unknown field by name', async () => {
    await expect(problems(PromotionEventRequest, { ...structuredClone(qingyuanEventExample), organiser: '我' })).resolves.toEqual([
      { field: 'organiser', message: 'unknown field' },
    ]);
  });
});

describe('the promotion event patch', () => {
  it.each([
    ['nothing', {}],
    ['one field', { venue: '庆元县香菇城会议中心' }],
    ['a version', { version: 3 }],
    ['a whole contact', { contact: { name: '吴科长', email: 'wu@county.shanhai.example' } }],
  ])('takes %s', async (_, body) => {
    await expect(problems(PromotionEventPatch, body)).resolves.toEqual([]);
  });

  it('still checks the fields it is given, and refuses unknown ones', async () => {
    await expect(fields(PromotionEventPatch, { date: 'tomorrow', version: 0, contact: { name: '吴' }, colour: 'red' })).resolves.toEqual(
      ['colour', 'contact.email', 'date', 'version'].sort(),
    );
  });
});

describe('the event report request', () => {
  it('takes the documented example as it stands', async () => {
    await expect(problems(EventReportRequest, structuredClone(qingyuanReportExample))).resolves.toEqual([]);
  });

  it('takes an empty list: nothing was signed', async () => {
    await expect(problems(EventReportRequest, { projects: [] })).resolves.toEqual([]);
  });

  it('lists every bad project field', async () => {
    const body = { version: -1, projects: [{ name: '', investor: '某公司', amountYi: 0, industry: '竹木', status: 'planned' }, { name: '乙', investor: '', amountYi: 1.23456, industry: '', status: 'signed' }] };
    await expect(fields(EventReportRequest, body)).resolves.toEqual(
      ['projects.0.amountYi', 'projects.0.name', 'projects.0.status', 'projects.1.amountYi', 'projects.1.industry', 'projects.1.investor', 'version'].sort(),
    );
  });

  it('refuses a name twice and more than 200 projects', async () => {
    const p = qingyuanReportExample.projects[0];
    await expect(fields(EventReportRequest, { projects: [p, { ...p, amountYi: 1 }] })).resolves.toEqual(['projects']);
    await expect(fields(EventReportRequest, { projects: Array.from({ length: 201 }, (_, i) => ({ ...p, name: `项目${i}` })) })).resolves.toEqual(['projects']);
  });
});
