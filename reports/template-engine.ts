/**
 * The reports' Handlebars environment: its own instance (no global registrations), the partials
 * of templates/partials/, the `plotSvg` helper, and the stylesheet to inline. Templates are read
 * and compiled once, on first use. Everything goes through `{{ }}`, which HTML-escapes; what is
 * not escaped is ours: the stylesheet (a triple-stash) and the SVG that `plotSvg` returns, drawn by
 * the course's one plot renderer (course/plots/svg.ts), which XML-escapes every text it holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Plot } from '../course/plots/plot-model.js';
import { plotToSvg } from '../course/plots/svg.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const TEMPLATES = join(here, 'templates');

export type ReportTemplate = 'submission-report' | 'class-report' | 'experiments';

interface Engine {
  templates: Map<ReportTemplate, Handlebars.TemplateDelegate>;
  css: string;
}
let engine: Engine | undefined;

function createEngine(): Engine {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // The page's figure (partials/plot.hbs) captions the plot and carries its data attributes.
  hb.registerHelper(
    'plotSvg',
    (plot: Plot) => new hb.SafeString(plotToSvg(plot, { title: false, marked: false })),
  );
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
