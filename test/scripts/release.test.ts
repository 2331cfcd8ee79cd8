import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTemplate } from '../../scripts/lib/template.js';

const root = join(import.meta.dirname, '..', '..');
const out = join(mkdtempSync(join(tmpdir(), 'release-')), 'student-repo');

const allFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && !e.parentPath.includes('node_modules')).map((e) => join(e.parentPath, e.name));

beforeAll(async () => {
  const run = await execa('npx', ['tsx', 'scripts/release.ts', '--out', out], { cwd: root, reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
}, 60_000);

describe('npm run release', () => {
  it('holds the template, graders, public fixtures, a grading npm test, a README and a PR workflow', () => {
    const files = allFiles(out).map((f) => relative(out, f));
    for (const path of ['submission/optimizers/adam.ts', 'submission/tuning.json', 'graders/manifest.json', 'fixtures/public/adam.json',
      'fixtures/public/mistakes/adam.json', 'README.md', 'SPEC.md', '.github/workflows/grade.yml', 'package-lock.json']) {
      expect(files).toContain(path);
    }
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('vitest run --config graders/vitest.config.ts');
  });

  it('never contains the reference solution, the buggy optimizers or hidden fixtures', () => {
    const files = allFiles(out);
    const paths = files.map((f) => relative(out, f));
    expect(paths.filter((p) => p.startsWith('reference') || p.includes('graders/mistakes/') || p.includes('hidden'))).toEqual([]);
    // Solution lines, less what is public anyway: hints the template itself gives, and empty declarations.
    const template = buildTemplate(join(root, 'reference')).map((f) => f.text).join('\n');
    const solutionLines = buildTemplate(join(root, 'reference')).flatMap((f) => f.solutions.flatMap((s) => s.lines))
      .map((l) => l.trim()).filter((l) => l.length >= 24 && !l.startsWith('//') && !l.startsWith('"') && !l.startsWith('}'))
      .filter((l) => !template.includes(l.replace(/ as tf\.Variable/, '').replace(/^(const|let) \w+ = /, '').replace(/;$/, '')) && !/^(const|let) \w+(: [\w[\]]+)? = (\[\]|0|\{\});$/.test(l));
    expect(solutionLines.length).toBeGreaterThan(25);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text.includes('BEGIN SOLUTION'), relative(out, file)).toBe(false);
      const leaked = solutionLines.filter((line) => text.includes(line));
      expect(leaked, `${relative(out, file)} holds solution lines`).toEqual([]);
    }
  });

  it('its own npm test grades the template (every test "not implemented") and a correct solution (full marks)', async () => {
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
    const suite = () => execa('npx', ['vitest', 'run', '--config', 'graders/vitest.config.ts'], { cwd: out, reject: false, env: { OPTNN_PROGRESS: '0', NO_COLOR: '1' } });
    const template = await suite();
    expect(template.exitCode).toBe(1);
    expect(template.stdout).toMatch(/Tests\s+33 failed \(33\)/);
    expect(template.stdout + template.stderr).toContain('not implemented: Adam.updateParameter');
    rmSync(join(out, 'submission'), { recursive: true });
    cpSync(join(root, 'reference'), join(out, 'submission'), { recursive: true });
    const solved = await suite();
    expect(solved.stdout, solved.stderr).toMatch(/Tests\s+33 passed \(33\)/);
    expect(solved.exitCode).toBe(0);
  }, 240_000);
});
