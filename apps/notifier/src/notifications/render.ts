import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The languages an email can be written in. zh-CN is everyone's unless they chose otherwise. */
export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';

/** The three parts of one email. */
export interface Rendered {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const formats = ['subject', 'text', 'html'] as const;
type Format = (typeof formats)[number];

/**
 * The template files, beside this module: `src/notifications/templates` when specs run the
 * TypeScript through ts-jest, `dist/notifications/templates` when the service runs the build
 * (the package's build script copies them there, as `tsc` copies no .hbs).
 *
 * Layout: `templates/<locale>/<event>.<recipient>.{subject,text,html}.hbs`, one set per template
 * id and locale. Files whose name starts with `_` are partials, registered under their name
 * without the `_` and the first extension (`_plan.hbs` → `{{> plan}}`, `_layout.html.hbs` →
 * `{{#> layout}}`): those at the top of `templates/` serve every locale, those in a locale's folder
 * that locale only. Every file loses one trailing newline (editors add one).
 */
export const templatesDir = fileURLToPath(new URL('./templates/', import.meta.url));

/** Subjects and names in headers are one line whatever the user typed: CR, LF, tabs and Unicode line/paragraph separators become one space. */
export const oneLine = (s: string): string => s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();

/**
 * In the plain-text body user text stays verbatim, but a line break of its own continues on an
 * indented line: nothing a user typed can start a line of the body (so "\r\nBcc: x" never reads as
 * a header line, even to a naive reader of the raw message). CR LF, CR, LF, U+2028 and U+2029 all
 * count as one break each.
 */
export const folded = (s: string): string => s.replace(/\r\n|[\r\n\u2028\u2029]/g, '\n  ');

/** A line break and the indentation `folded` put after it. */
const LINE_BREAK = /(?:\r\n|[\r\n\u2028\u2029]) */;

type Env = typeof Handlebars;

/**
 * Two environments per locale, each with the locale's partials: the HTML templates escape every
 * `{{ }}` (Handlebars' default); the subject and plain-text ones are compiled with `noEscape`, so
 * `&`, `<` and quotes reach the reader as typed.
 */
function environment(): Env {
  const env = Handlebars.create();
  // `{{lines opinion}}`: a user's multi-line text as escaped lines joined by <br> (HTML only).
  env.registerHelper('lines', (value: unknown) =>
    typeof value === 'string' ? new env.SafeString(value.split(LINE_BREAK).map((l) => env.escapeExpression(l)).join('<br>')) : '',
  );
  return env;
}

const read = (file: string): string => readFileSync(file, 'utf8').replace(/\r?\n$/, '');

/** `_plan.hbs` → `plan`, `_layout.html.hbs` → `layout`. */
const partialName = (file: string): string => file.slice(1).split('.')[0]!;

interface Compiled {
  readonly subject: HandlebarsTemplateDelegate;
  readonly text: HandlebarsTemplateDelegate;
  readonly html: HandlebarsTemplateDelegate;
}

/** Every template of every locale, compiled once when the module loads. */
const compiled: ReadonlyMap<string, Compiled> = (() => {
  const byKey = new Map<string, Compiled>();
  const shared = readdirSync(templatesDir).filter((f) => f.startsWith('_') && f.endsWith('.hbs'));
  for (const locale of locales) {
    const dir = path.join(templatesDir, locale);
    const files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
    const html = environment();
    const plain = environment();
    for (const [folder, partials] of [
      [templatesDir, shared],
      [dir, files.filter((f) => f.startsWith('_'))],
    ] as const) {
      for (const file of partials) {
        const source = read(path.join(folder, file));
        html.registerPartial(partialName(file), html.compile(source, { strict: true }));
        plain.registerPartial(partialName(file), plain.compile(source, { noEscape: true, strict: true }));
      }
    }
    const parts = new Map<string, Partial<Record<Format, HandlebarsTemplateDelegate>>>();
    for (const file of files.filter((f) => !f.startsWith('_'))) {
      const match = /^(.+)\.(subject|text|html)\.hbs$/.exec(file);
      if (!match) throw new Error(`notifier template ${locale}/${file}: expected <template>.{subject,text,html}.hbs`);
      const [, id, format] = match as unknown as [string, string, Format];
      const env = format === 'html' ? html : plain;
      const template = env.compile(read(path.join(dir, file)), { noEscape: format !== 'html', strict: true });
      parts.set(id, { ...parts.get(id), [format]: template });
    }
    for (const [id, part] of parts) {
      const missing = formats.filter((f) => !part[f]);
      if (missing.length) throw new Error(`notifier template ${locale}/${id}: missing ${missing.join(', ')}`);
      byKey.set(`${locale}/${id}`, part as Compiled);
    }
  }
  return byKey;
})();

/** The template ids that have all three parts in `locale`. */
export const templateIds = (locale: Locale): string[] =>
  [...compiled.keys()].filter((k) => k.startsWith(`${locale}/`)).map((k) => k.slice(locale.length + 1));

/** Throws unless every id has a subject, a text and an HTML template in every locale (checked at startup, not at the first email). */
export function assertTemplates(ids: readonly string[]): void {
  const missing = locales.flatMap((l) => ids.filter((id) => !compiled.has(`${l}/${id}`)).map((id) => `${l}/${id}`));
  if (missing.length) throw new Error(`notifier templates missing: ${missing.join(', ')}`);
}

/** Applies `f` to every string in a view (arrays and plain objects included). */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

/**
 * Writes one email. `view` is the message's facts, user text as typed: every string in it is made
 * one line for the subject and folded for the text and the HTML before rendering (and escaped by
 * the HTML templates' `{{ }}`), so no template can forget to. The subject is made one line once
 * more after (and trimmed).
 */
export function render(id: string, locale: Locale, view: Readonly<Record<string, unknown>>): Rendered {
  const template = compiled.get(`${locale}/${id}`);
  if (!template) throw new Error(`notifier template ${locale}/${id} does not exist`);
  const data = { ...view, lang: locale };
  return {
    subject: oneLine(template.subject(mapStrings(data, oneLine))),
    text: template.text(mapStrings(data, folded)),
    // Escaped by the templates; folded too, so that no user text starts a line of the HTML source either.
    html: template.html(mapStrings(data, folded)),
  };
}
