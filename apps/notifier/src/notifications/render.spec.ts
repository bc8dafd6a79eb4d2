import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { folded, locales, oneLine, render, templateIds, templatesDir } from './render.js';

const view = {
  zonePlan: true,
  title: '浙江\r\nBcc: x@evil.example <i>庆元</i> & "开发区"',
  county: '庆元县',
  city: '丽水市',
  revision: 1,
  corrected: false,
  applicant: { name: '庆元县人民政府', email: 'qingyuan@county.shanhai.example' },
  to: { name: '浙江省商务厅', email: 'zj@shanhai.example' },
  step: { name: '省商务厅审核', number: 2, organisation: { name: '浙江省商务厅' } },
  stepCount: 3,
  reason: '第一行 <b>粗</b>\n第二行 & "引号"',
};

describe('render', () => {
  it('reads the templates beside the module (src under ts-jest, dist in the build, which copies them)', () => {
    expect(templatesDir).toBe(path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates') + path.sep);
    for (const locale of locales) expect(existsSync(path.join(templatesDir, locale))).toBe(true);
  });

  it('has the same templates, each with a subject, a text and an HTML part, in every locale', () => {
    const [first, ...others] = locales.map((l) => templateIds(l).sort());
    expect(first!.length).toBeGreaterThan(0);
    for (const ids of others) expect(ids).toEqual(first);
    for (const locale of locales) {
      const files = readdirSync(path.join(templatesDir, locale)).filter((f) => !f.startsWith('_'));
      expect(files.sort()).toEqual(first!.flatMap((id) => [`${id}.html.hbs`, `${id}.subject.hbs`, `${id}.text.hbs`]).sort());
    }
  });

  it('makes the subject one line and escapes nothing in it', () => {
    for (const locale of locales) {
      const { subject } = render('rejected.applicant', locale, view);
      expect(subject).not.toMatch(/[\r\n\t\u2028\u2029]/);
      expect(subject).toContain('浙江 Bcc: x@evil.example <i>庆元</i> & "开发区"');
    }
  });

  it('keeps user text verbatim in the plain text, a line break of its own continuing on an indented line', () => {
    const { text } = render('rejected.applicant', 'zh-CN', view);
    expect(text).toContain('《浙江\n  Bcc: x@evil.example <i>庆元</i> & "开发区"创建方案》');
    expect(text).toContain('理由：第一行 <b>粗</b>\n  第二行 & "引号"\n');
    expect(text).not.toMatch(/^Bcc:/m);
    expect(text).not.toMatch(/[\r\u2028\u2029]/);
    expect(text).not.toContain('&amp;');
  });

  it('escapes user text in the HTML, a multi-line text as lines', () => {
    const { html } = render('rejected.applicant', 'en', view);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).not.toMatch(/<i>|<b>|"开发区"/);
    expect(html).toContain('&lt;i&gt;庆元&lt;/i&gt; &amp; &quot;开发区&quot;');
    expect(html).toContain('<p>Reason: 第一行 &lt;b&gt;粗&lt;/b&gt;<br>第二行 &amp; &quot;引号&quot;</p>');
    expect(html).not.toMatch(/^Bcc:/m);
  });

  it('refuses a template that does not exist, and a view that lacks what a template shows', () => {
    expect(() => render('nothing.applicant', 'zh-CN', view)).toThrow('notifier template zh-CN/nothing.applicant does not exist');
    const { reason: _reason, ...partial } = view;
    expect(() => render('rejected.applicant', 'zh-CN', partial)).toThrow(/reason/);
  });

  it.each([
    ['a\r\nb', 'a b'],
    ['a\n\n\tb', 'a b'],
    ['a\u2028b\u2029c', 'a b c'],
    ['  a\r\n', 'a'],
  ])('oneLine(%j) is %j', (input, expected) => expect(oneLine(input)).toBe(expected));

  it.each([
    ['a\r\nb', 'a\n  b'],
    ['a\rb\nc', 'a\n  b\n  c'],
    ['a\u2028b\u2029c', 'a\n  b\n  c'],
    ['a\tb', 'a\tb'],
  ])('folded(%j) is %j', (input, expected) => expect(folded(input)).toBe(expected));
});
