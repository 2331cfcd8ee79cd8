/**
 * `npm run template` writes student-template/ from reference/; `npm run template -- --check`
 * only compares and exits 1 when they differ (CI and the tests use it).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTemplate } from '../services/authoring/template.js';
import { defineCommand, runCommand } from './cli/command.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const referenceDir = join(root, 'reference');
const templateDir = join(root, 'student-template');

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && (e.name.endsWith('.ts') || e.name.endsWith('.json')))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

export const command = defineCommand({
  name: 'template',
  synopsis: 'npm run template [-- --check]',
  summary: 'Writes student-template/ from reference/.',
  flags: { check: { type: 'boolean', description: 'compare only; exit 1 on a difference' } },
  run: async ({ flags }) => (flags.check ? check() : write()),
});

/** Compares student-template/ with what reference/ makes: exit 1 on a difference. */
function check(): void {
  const files = buildTemplate(referenceDir);
  const expected = new Map(files.map((f) => [f.path, f.text]));
  const problems: string[] = [];
  for (const [path, text] of expected) {
    const target = join(templateDir, path);
    if (!existsSync(target)) problems.push(`missing: student-template/${path}`);
    else if (readFileSync(target, 'utf8') !== text) problems.push(`differs: student-template/${path}`);
  }
  for (const path of listFiles(templateDir)) {
    if (!expected.has(path)) problems.push(`extra: student-template/${path} (no reference file)`);
  }
  if (problems.length > 0) {
    console.error(
      `student-template/ is out of step with reference/ (run \`npm run template\`):\n  ${problems.join('\n  ')}`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`student-template/ matches reference/ (${files.length} files)`);
}

/** Writes student-template/ anew. */
function write(): void {
  const files = buildTemplate(referenceDir);
  rmSync(templateDir, { recursive: true, force: true });
  for (const file of files) {
    const target = join(templateDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
  const parts = files.reduce((n, f) => n + f.solutions.length, 0);
  console.log(`wrote student-template/: ${files.length} files, ${parts} parts to implement`);
}

runCommand(command);
