/**
 * Builds the student template from the reference solution. In the reference:
 * - `// BEGIN SOLUTION <part> @<section>` … `// END SOLUTION` encloses a solution; in the template
 *   the block becomes `throw notImplemented('<part>', '<SPEC.md section>')`;
 * - `// TEMPLATE: <code>` is a line only the template has (the comment marker is removed).
 * Everything else (signatures, guidance comments, provided checks) is copied as it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SPEC_SECTIONS } from '../../contract/index.js';
import { TUNING_FILE, TUNING_PLACEHOLDER } from '../../contract/tuning-schema.js';

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION (\S+) @(\w+)\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const TEMPLATE_LINE = /^(\s*)\/\/ TEMPLATE: (.*)$/;

export const TEMPLATE_HEADER =
  '// Student template, generated from the reference by `npm run template`. Implement every part\n' +
  '// that throws "not implemented"; SPEC.md (the assignment) defines each one.\n';

export interface SolutionBlock {
  part: string;
  section: string;
  /** The solution's own lines, as in the reference. */
  lines: string[];
}

export interface TemplateFile {
  path: string;
  text: string;
  solutions: SolutionBlock[];
}

/** Turns one reference file into its template; `name` is used in error messages. */
export function templateOf(source: string, name: string): { text: string; solutions: SolutionBlock[] } {
  const out: string[] = [];
  const solutions: SolutionBlock[] = [];
  let open: (SolutionBlock & { line: number }) | undefined;
  source.split('\n').forEach((line, index) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open)
        throw new Error(`${name}:${index + 1}: BEGIN SOLUTION inside the block opened at line ${open.line}`);
      const [, indent = '', part = '', key = ''] = begin;
      const section = (SPEC_SECTIONS as Record<string, string>)[key];
      if (section === undefined) {
        throw new Error(
          `${name}:${index + 1}: unknown section @${key}; expected one of ${Object.keys(SPEC_SECTIONS).join(', ')}`,
        );
      }
      open = { part, section, lines: [], line: index + 1 };
      out.push(`${indent}throw notImplemented('${part}', '${section}');`);
      return;
    }
    if (END.test(line)) {
      if (!open) throw new Error(`${name}:${index + 1}: END SOLUTION without a BEGIN`);
      solutions.push({ part: open.part, section: open.section, lines: open.lines });
      open = undefined;
      return;
    }
    if (open) {
      open.lines.push(line);
      return;
    }
    const templateLine = TEMPLATE_LINE.exec(line);
    out.push(templateLine ? `${templateLine[1]}${templateLine[2]}` : line);
  });
  if (open) throw new Error(`${name}:${open.line}: BEGIN SOLUTION is never closed`);
  const text = solutions.length > 0 ? TEMPLATE_HEADER + out.join('\n') : out.join('\n');
  return { text, solutions };
}

/** Data files of the reference and what the template holds instead. */
export const TEMPLATE_DATA_FILES: Readonly<Record<string, string>> = {
  [TUNING_FILE]: `${JSON.stringify(TUNING_PLACEHOLDER, null, 2)}\n`,
};

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      return entry.name.endsWith('.ts') || entry.name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

/** The template of every .ts and .json file under `referenceDir`, with paths relative to it. */
export function buildTemplate(referenceDir: string): TemplateFile[] {
  return listFiles(referenceDir).map((file) => {
    const path = relative(referenceDir, file);
    if (path.endsWith('.json')) {
      const text = TEMPLATE_DATA_FILES[path];
      if (text === undefined)
        throw new Error(`reference/${path}: a data file without a template version in TEMPLATE_DATA_FILES`);
      const placeholder = new Set(text.split('\n').map((line) => line.trim()));
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !placeholder.has(line.trim()));
      return { path, text, solutions: [{ part: path, section: SPEC_SECTIONS.tuning, lines }] };
    }
    return { path, ...templateOf(readFileSync(file, 'utf8'), `reference/${path}`) };
  });
}
