/**
 * The reports' Handlebars environment: its own instance (no global registrations), the partials
 * of templates/partials/, a few arithmetic helpers for the plot partial, and the stylesheet to
 * inline. Templates are read and compiled once, on first use. Everything goes through `{{ }}`,
 * which HTML-escapes; the two triple-stashes are the stylesheet and the SVG of course/plots/svg.ts
 * (partials/svg-figure.hbs), both ours, and the SVG XML-escapes every text it holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const here = fileURLToPath(new URL('.', import.meta.url));
const TEMPLATES = join(here, 'templates');

export type ReportTemplate = 'submission-report' | 'class-report' | 'experiments';

interface Engine {
  templates: Map<ReportTemplate, Handlebars.TemplateDelegate>;
  css: string;
}
let engine: Engine | undefined;

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const round = (value: number): number => Math.round(value * 10) / 10;

function createEngine(): Engine {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('add', (a: unknown, b: unknown) => round(num(a) + num(b)));
  hb.registerHelper('sub', (a: unknown, b: unknown) => round(num(a) - num(b)));
  hb.registerHelper('mid', (a: unknown, b: unknown) => round((num(a) + num(b)) / 2));
  const partials = join(TEMPLATES, 'partials');
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
    hb.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  const templates = new Map<ReportTemplate, Handlebars.TemplateDelegate>();
  for (const name of ['submission-report', 'class-report', 'experiments'] as const) {
    templates.set(
      name,
      hb.compile(readFileSync(join(TEMPLATES, `${name}.hbs`), 'utf8'), {
        strict: false,
        preventIndent: true,
      }),
    );
  }
  return { templates, css: readFileSync(join(here, 'styles.css'), 'utf8') };
}

/** Renders one of the report templates with the stylesheet inlined. */
export function renderTemplate(name: ReportTemplate, view: object): string {
  engine ??= createEngine();
  const template = engine.templates.get(name);
  if (template === undefined) throw new Error(`No report template named ${name}`);
  return template({ ...view, css: engine.css });
}
