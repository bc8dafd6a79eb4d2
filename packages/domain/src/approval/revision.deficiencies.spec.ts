import { describe, expect, it } from '@jest/globals';
import type { DeficiencyNote } from './instance.state.js';
import { file, plan } from './revision.fixtures.js';
import { deficiencyProblems, type RevisionSnapshot } from './revision.js';


describe(deficiencyProblems.name, () => {
  const field = (ref: string, note = '请补充'): DeficiencyNote => ({ target: 'field', ref, note });
  const attachment = (ref: string, note = '请补充'): DeficiencyNote => ({ target: 'attachment', ref, note });
  const event: RevisionSnapshot = { fields: { title: '推介会', content: { venue: '会展中心', coOrganisers: ['县政府'] } }, attachments: [] };

  it.each<[string, DeficiencyNote]>([
    ['the title', field('title')],
    ['a block field', field('content.blocks.0.areaKm2')],
    ['a block boundary', field('content.blocks.1.boundary.north')],
    ['a whole block', field('content.blocks.1')],
    ['the blocks', field('content.blocks')],
    ['a group', field('content.contact')],
    ['a leading industry', field('content.leadingIndustries.1')],
    ['an optional field left out', field('content.contact.phone')],
    ['an optional field left empty', field('content.plannedInvestmentYi')],
    ['an attachment the revision carries', attachment('feasibility_report')],
    ['a zone plan document kind the revision lacks', attachment('plan_eia_review_opinion')],
  ])('accepts %s', (_, deficiency) => {
    expect(deficiencyProblems([deficiency], 'zone_plan', plan)).toEqual([]);
  });

  it.each([
    'content.blocks.0.areaKM2',
    'content.fooBar',
    'content.blocks.2',
    'content.blocks.2.areaKm2',
    'content.blocks.0.boundary.nrth',
    'content.blocks.0.note',
    'content.title.0.x',
    'title.0',
    'content.landUseConformity.x',
    'content.coOrganisers.99',
    'budget',
    '',
  ])('refuses the field %p, naming it', (ref) => {
    expect(deficiencyProblems([field('title'), field(ref)], 'zone_plan', plan)).toEqual([{ field: 'deficiencies.1.ref', message: `the submission has no field ${ref}` }]);
  });

  it('checks an event’s fields against the event’s declaration', () => {
    expect(deficiencyProblems([field('content.venue'), field('content.budgetWan'), field('content.coOrganisers.0')], 'promotion_event', event)).toEqual([]);
    expect(deficiencyProblems([field('content.coOrganisers.99'), field('content.blocks')], 'promotion_event', event)).toEqual([
      { field: 'deficiencies.0.ref', message: 'the submission has no field content.coOrganisers.99' },
      { field: 'deficiencies.1.ref', message: 'the submission has no field content.blocks' },
    ]);
  });

  it('refuses an unknown attachment kind, naming it and the kinds it knows', () => {
    expect(deficiencyProblems([attachment('no_such_document')], 'zone_plan', plan)).toEqual([
      {
        field: 'deficiencies.0.ref',
        message: 'no_such_document is not an attachment of this submission (known: application_letter, feasibility_report, land_use_plan, site_selection_opinion, plan_eia_review_opinion)',
      },
    ]);
  });

  it('knows only the carried attachments of a promotion event', () => {
    const carrying: RevisionSnapshot = { ...event, attachments: [file('agenda', '1')] };
    expect(deficiencyProblems([attachment('agenda')], 'promotion_event', carrying)).toEqual([]);
    expect(deficiencyProblems([attachment('land_use_plan'), attachment('no_such_document')], 'promotion_event', carrying)).toEqual([
      { field: 'deficiencies.0.ref', message: 'land_use_plan is not an attachment of this submission (known: agenda)' },
      { field: 'deficiencies.1.ref', message: 'no_such_document is not an attachment of this submission (known: agenda)' },
    ]);
    expect(deficiencyProblems([attachment('no_such_document')], 'promotion_event', event)).toEqual([
      { field: 'deficiencies.0.ref', message: 'no_such_document is not an attachment of this submission (known: none)' },
    ]);
  });

  it('takes field references as given without the revision’s content, but still checks attachments', () => {
    expect(deficiencyProblems([field('content.anything.at.all')], 'zone_plan', undefined)).toEqual([]);
    expect(deficiencyProblems([attachment('no_such_document')], 'promotion_event', undefined)).toEqual([
      { field: 'deficiencies.0.ref', message: 'no_such_document is not an attachment of this submission (known: none)' },
    ]);
  });

  it('refuses a deficiency listed twice, at the second, and tells a field from an attachment of the same name', () => {
    const notice = [field('content.pairedZoneCode', '结对开发区不符'), attachment('land_use_plan'), field('content.fooBar'), attachment('land_use_plan'), field('content.pairedZoneCode', '另一条')];
    expect(deficiencyProblems(notice, 'zone_plan', plan)).toEqual([
      { field: 'deficiencies.2.ref', message: 'the submission has no field content.fooBar' },
      { field: 'deficiencies.3.ref', message: 'deficiencies.1 already names this attachment: list each once, with every note in it' },
      { field: 'deficiencies.4.ref', message: 'deficiencies.0 already names this field: list each once, with every note in it' },
    ]);
    expect(deficiencyProblems([field('land_use_plan'), attachment('land_use_plan')], 'zone_plan', undefined)).toEqual([]);
  });

  it('accepts an empty notice (requiring deficiencies is the instance’s rule)', () => {
    expect(deficiencyProblems([], 'zone_plan', plan)).toEqual([]);
  });
});
