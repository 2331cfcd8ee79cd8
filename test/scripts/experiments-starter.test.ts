/**
 * A student's first experiments: the template with only GD and Adam written (copied from the
 * reference), outside the project. `experiments --quick --submission DIR` exits 0; the page has
 * the loss curves, contours and surfaces of the GD and Adam cells (run with the course's nets,
 * loaders and loop, since the student's are not written yet, and says so), and one "not
 * implemented" line for each other cell. The page is opened in headless Chromium: no console
 * error, no request, the expected plots; a screenshot goes to .vitest-artifacts/experiments/.
 *
 * Needs Debian's chromium (tools/install-browser.sh); OPTNN_SKIP_BROWSER=1 skips the browser part.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentsRecord } from '../../contract/experiment-record.js';
import { validateOrThrow } from '../../contract/validate.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = process.env['OPTNN_CHROMIUM'] ?? '/usr/bin/chromium';
const SKIP_BROWSER = process.env['OPTNN_SKIP_BROWSER'] === '1';
const ARTIFACTS = join(ROOT, '.vitest-artifacts', 'experiments');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ONLY = ['gd-onefcnet', 'sgd-garment', 'sgdwm-garment', 'adagrad-garment', 'adam-garment', 'tuning'];
const RAN = ['gd-onefcnet', 'sgd-garment', 'adam-garment'];

describe('experiments on a starter with only GD and Adam written', () => {
  let work: string;
  let page: string;
  let record: ExperimentsRecord;
  let stdout: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'optnn-starter-'));
    const dir = join(work, 'submission');
    cpSync(join(ROOT, 'student-template'), dir, { recursive: true });
    for (const file of ['gd.ts', 'adam.ts'])
      cpSync(join(ROOT, 'reference', 'optimizers', file), join(dir, 'optimizers', file));
    const out = join(work, 'out', 'experiments.json');
    const run = await execa(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'experiments.ts'),
        '--quick',
        '--resolution',
        '4',
        '--only',
        ONLY.join(','),
        '--submission',
        dir,
        '--out',
        out,
      ],
      { cwd: ROOT, reject: false, all: true, env: { OPTNN_PROGRESS: '0' } },
    );
    expect(run.exitCode, run.all).toBe(0);
    stdout = run.stdout;
    record = validateOrThrow(ExperimentsRecord, JSON.parse(readFileSync(out, 'utf8')), out);
    page = join(work, 'out', 'experiments.html');
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs the GD and Adam cells with the course's stand-ins and says which cells are not implemented yet", () => {
    expect(stdout).toMatch(/\(3 of 6 cells ran; open it in a browser\)/);
    expect(record.cells?.map((c) => [c.id, c.status])).toEqual([
      ['gd-onefcnet', 'ran'],
      ['sgd-garment', 'ran'],
      ['sgdwm-garment', 'not-implemented'],
      ['adagrad-garment', 'not-implemented'],
      ['adam-garment', 'ran'],
      ['tuning', 'not-implemented'],
    ]);
    expect(record.cells?.find((c) => c.id === 'sgdwm-garment')?.message).toBe(
      'SGDwM.updateParameter is not implemented yet, so this cell did not run',
    );
    expect(record.runs.map((r) => r.id)).toEqual(RAN);
    for (const part of ['nets', 'loaders', 'lossFn', 'loop'] as const)
      expect(record.parts?.[part].whose).toBe('course');
    expect(record.parts?.loop.note).toMatch(/not implemented yet/);
    const adam = record.runs.find((r) => r.id === 'adam-garment')!;
    expect(adam.losses).toHaveLength(100);
    expect(adam.losses.at(-1) ?? 9).toBeLessThan(1);
    expect(adam.landscape!.losses).toHaveLength(4);
  });

  it.skipIf(SKIP_BROWSER)(
    'the page in Chromium: every ran cell with its plots, one line per other cell, no error, no request',
    async () => {
      if (!existsSync(CHROMIUM))
        throw new Error(
          `Chromium is not installed at ${CHROMIUM}: install it with tools/install-browser.sh, or set OPTNN_SKIP_BROWSER=1`,
        );
      const profile = mkdtempSync(join(tmpdir(), 'optnn-chromium-'));
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
      try {
        const tab = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        const self = pathToFileURL(page).href;
        tab.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        tab.on('pageerror', (e) => errors.push(e.message));
        tab.on('request', (r) => {
          if (r.url() !== self) requests.push(r.url());
        });
        await tab.setViewportSize({ width: 1280, height: 900 });
        await tab.goto(self, { waitUntil: 'load' });

        await expect(tab.locator('#data [data-plot="examples"] svg').count()).resolves.toBe(1);
        for (const id of RAN) {
          const cell = tab.locator(`article[data-cell="${id}"]`);
          await expect(cell.getAttribute('data-status')).resolves.toBe('ran');
          await expect(cell.locator('[data-plot="loss-curves"] svg path[data-series]').count()).resolves.toBe(
            1,
          );
          await expect(
            cell.locator('[data-plot="landscape"] svg path[data-series="trajectory"]').count(),
          ).resolves.toBe(1);
          expect(
            await cell.locator('[data-plot="landscape"] svg .areas path').count(),
          ).toBeGreaterThanOrEqual(3);
          await expect(
            cell.locator('[data-plot="surface"] svg path[data-series="trajectory"]').count(),
          ).resolves.toBe(1);
          expect((await cell.locator('[data-plot="loss-curves"] svg').boundingBox())?.width).toBeGreaterThan(
            300,
          );
        }
        for (const id of ['sgdwm-garment', 'adagrad-garment', 'tuning']) {
          const cell = tab.locator(`article[data-cell="${id}"]`);
          await expect(cell.locator('svg').count()).resolves.toBe(0);
          await expect(cell.locator('.cell-status').textContent()).resolves.toMatch(
            /^\s*◌ Not implemented yet: .+ is not implemented yet|not implemented: tuning\.json/,
          );
        }
        // 1 examples grid, 3 figures for each of the 3 ran cells, and the SGD-vs-Adam comparisons that have 2 runs.
        const plots = await tab.locator('figure.plot svg').count();
        const comparisons = await tab.locator('#comparisons figure.plot svg').count();
        expect(plots).toBe(1 + 3 * RAN.length + comparisons);
        await expect(tab.locator('.parts-note li').count()).resolves.toBe(4);
        expect(errors, 'console errors').toEqual([]);
        expect(requests, 'requests other than the page').toEqual([]);
        mkdirSync(ARTIFACTS, { recursive: true });
        await tab.screenshot({ path: join(ARTIFACTS, 'starter-gd-adam-1280.png'), fullPage: true });
        await tab.emulateMedia({ media: 'print' });
        await expect(tab.locator('nav.toc').isVisible()).resolves.toBe(false);
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
