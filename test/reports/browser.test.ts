/**
 * The HTML reports of real graded submissions (the reference, the student template and the
 * corpus mutant that drops Adam's bias correction), opened in headless Chromium: no console
 * error, no request beyond the page itself, the plots there with their series, the failed test's
 * hint on screen, readable at phone width. Screenshots go to .vitest-artifacts/reports/.
 *
 * Needs Debian's chromium (tools/install-browser.sh). Without it these tests fail and say how
 * to install it; OPTNN_SKIP_BROWSER=1 skips them instead, with the reason in the test's name.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOrThrow } from '../../contract/validate.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { SubmissionResult } from '../../results/model.js';
import { renderClassReport, renderSubmissionReport, trainingLossesOf } from '../../reports/render.js';
import { ExperimentsRecord } from '../../contract/experiment-record.js';

const CHROMIUM = process.env['OPTNN_CHROMIUM'] ?? '/usr/bin/chromium';
const SKIP = process.env['OPTNN_SKIP_BROWSER'] === '1';
const ROOT = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(ROOT, '.vitest-artifacts', 'reports');
const TESTS = ['optimizer.Adam.steps', 'optimizer.Adam.training', 'optimizer.GD.training', 'nets'];
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
const MAX_SCORE = loadManifest()
  .tests.filter((t) => TESTS.includes(t.id))
  .reduce((sum, t) => sum + t.points, 0);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

if (SKIP) {
  console.warn(
    'test/reports/browser.test.ts: OPTNN_SKIP_BROWSER=1, so the HTML reports are NOT checked in a browser.',
  );
  describe('HTML reports in Chromium', () => {
    it.skip(`skipped because OPTNN_SKIP_BROWSER=1: the reports were not opened in a browser (unset it and run tools/install-browser.sh to run them)`, () => {});
  });
} else if (!existsSync(CHROMIUM)) {
  describe('HTML reports in Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}, so the HTML reports cannot be checked in a browser. ` +
          'Install it with tools/install-browser.sh (as root: apt-get update && apt-get install -y chromium), ' +
          'point OPTNN_CHROMIUM at another Chromium binary, or set OPTNN_SKIP_BROWSER=1 to skip these tests.',
      );
    });
  });
} else {
  describe('HTML reports in Chromium', () => {
    let work: string;
    let profile: string;
    let browser: BrowserContext;
    const reportOf = (id: string): string => join(ARTIFACTS, id, 'report.html');

    beforeAll(async () => {
      mkdirSync(join(ROOT, '.work'), { recursive: true });
      // Inside the project, so that the mutant's `#course/*` imports resolve.
      work = mkdtempSync(join(ROOT, '.work', 'reports-browser-'));
      const mutant = join(work, 'adam-no-bias-correction');
      cpSync(join(ROOT, 'reference'), mutant, { recursive: true });
      cpSync(
        join(ROOT, 'test', 'corpus', 'mutants', 'adam-no-bias-correction', 'optimizers'),
        join(mutant, 'optimizers'),
        { recursive: true },
      );
      // Half done: the template with GD written and Adam written with a known mistake.
      const halfDone = join(work, 'half-done');
      cpSync(join(ROOT, 'student-template'), halfDone, { recursive: true });
      cpSync(join(ROOT, 'reference', 'optimizers', 'gd.ts'), join(halfDone, 'optimizers', 'gd.ts'));
      cpSync(join(mutant, 'optimizers', 'adam.ts'), join(halfDone, 'optimizers', 'adam.ts'));
      const tsx = (script: string, args: string[]) =>
        execa(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], {
          cwd: ROOT,
          reject: false,
          all: true,
          env: { OPTNN_PROGRESS: '0' },
        });
      const grades = join(work, 'grades');
      const experiments = join(work, 'experiments.json');
      const runs = await Promise.all([
        ...[join(ROOT, 'reference'), join(ROOT, 'student-template'), mutant, halfDone].map((dir) =>
          tsx('grade.ts', [dir, '--only', TESTS.join(','), '--out', grades]),
        ),
        tsx('experiments.ts', [
          '--quick',
          '--resolution',
          '8',
          '--only',
          'gd-onefcnet,sgd-garment',
          '--out',
          experiments,
        ]),
      ]);
      for (const run of runs) expect(run.exitCode, run.all).toBe(0);

      const read = (id: string): SubmissionResult =>
        validateOrThrow(
          SubmissionResult,
          JSON.parse(readFileSync(join(grades, id, 'results.json'), 'utf8')),
          id,
        );
      const results = ['reference', 'student-template', 'adam-no-bias-correction', 'half-done'].map(read);
      const record = validateOrThrow(
        ExperimentsRecord,
        JSON.parse(readFileSync(experiments, 'utf8')),
        experiments,
      );
      const trainingLosses = trainingLossesOf(results[0]!);
      rmSync(ARTIFACTS, { recursive: true, force: true });
      for (const result of results) {
        mkdirSync(join(ARTIFACTS, result.submission.id), { recursive: true });
        writeFileSync(
          reportOf(result.submission.id),
          renderSubmissionReport({ result, reference: { trainingLosses }, experiments: record }),
        );
      }
      // The class of three: the reference, the untouched template and the mutant.
      writeFileSync(join(ARTIFACTS, 'class-report.html'), renderClassReport(results.slice(0, 3)));

      profile = mkdtempSync(join(tmpdir(), 'optnn-chromium-'));
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
      if (work) rmSync(work, { recursive: true, force: true });
    });

    async function open(file: string, viewport = DESKTOP): Promise<Opened> {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      const self = pathToFileURL(file).href;
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (r.url() !== self && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.setViewportSize(viewport);
      await page.goto(self, { waitUntil: 'load' });
      return { page, errors, requests };
    }

    async function seriesPerPlot(page: Page, selector: string): Promise<number[]> {
      return page
        .locator(selector)
        .evaluateAll((figures) => figures.map((f) => f.querySelectorAll('svg path[data-series]').length));
    }

    async function expectClean({ page, errors, requests }: Opened, name: string): Promise<void> {
      expect(errors, 'console errors').toEqual([]);
      expect(requests, 'requests other than the report itself').toEqual([]);
      await page.screenshot({
        path: join(ARTIFACTS, `${name}-${page.viewportSize()?.width ?? 0}.png`),
        fullPage: true,
      });
    }

    it('the reference: every training run over the reference run, two landscapes with their trajectories, no failure', async () => {
      const opened = await open(reportOf('reference'));
      const { page } = opened;
      await expect(page.locator('.score').textContent()).resolves.toMatch(
        new RegExp(`^${MAX_SCORE} / ${MAX_SCORE} points`),
      );
      await expect(page.locator('#failures').count()).resolves.toBe(0);
      expect(await seriesPerPlot(page, '#training [data-plot="loss-curves"]')).toEqual([2, 2]);
      expect(await seriesPerPlot(page, '#experiments [data-plot="landscape"]')).toEqual([1, 1]);
      for (const n of await page
        .locator('#experiments [data-plot="landscape"]')
        .evaluateAll((fs) => fs.map((f) => f.querySelectorAll('.areas path').length)))
        expect(n).toBeGreaterThanOrEqual(5);
      const box = await page.locator('#training [data-plot="loss-curves"] svg').first().boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      await expectClean(opened, 'reference');
      await opened.page.close();
    });

    it("the mutant: the failed Adam test on screen with its diagnostics, its named mistake's hint and its error curve", async () => {
      const opened = await open(reportOf('adam-no-bias-correction'));
      const { page } = opened;
      const firstRow = page.locator('#tests tbody tr').first();
      await expect(firstRow.getAttribute('data-test-id')).resolves.toBe('optimizer.Adam.steps');
      await expect(firstRow.locator('.status').textContent()).resolves.toMatch(/✗\s+failed/);
      await firstRow.locator('a').click();
      const failure = page.locator('#failures article[data-test-id="optimizer.Adam.steps"]');
      const hint = failure.locator('.mistake .hint');
      expect(await hint.isVisible()).toBe(true);
      await expect(hint.textContent()).resolves.toMatch(/without correcting their bias towards zero/);
      await expect(failure.locator('table.diagnostics').textContent()).resolves.toMatch(
        /First diverging step\s*1/,
      );
      expect(await seriesPerPlot(page, '#failures [data-plot="error-curve"]')).toEqual([1]);
      expect(await failure.locator('[data-plot="error-curve"] path[data-series]').getAttribute('d')).toMatch(
        /^M[\d.,]+(L[\d.,]+){20,}$/,
      );
      expect(await seriesPerPlot(page, '#training [data-plot="loss-curves"]')).toEqual([2, 2]);
      await expectClean(opened, 'mutant');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.toc').isVisible()).toBe(false);
      await page.screenshot({ path: join(ARTIFACTS, 'mutant-print.png'), fullPage: true });
      await page.close();
    });

    it('the template: every test failed, said in words, each part not started in one line with no plot', async () => {
      const opened = await open(reportOf('student-template'));
      const { page } = opened;
      await expect(page.locator('.score-value').textContent()).resolves.toBe('0');
      const statuses = await page.locator('#tests tbody .status').allTextContents();
      expect(statuses.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual(TESTS.map(() => '✗ failed'));
      await expect(page.locator('#failures article').count()).resolves.toBe(0);
      const lines = await page.locator('#not-started li').allTextContents();
      expect(lines).toHaveLength(TESTS.length);
      for (const line of lines) expect(line).toMatch(/not implemented: /);
      await expect(page.locator('[data-plot="error-curve"]').count()).resolves.toBe(0);
      await expect(page.locator('#training').count()).resolves.toBe(0);
      await expectClean(opened, 'template');
      await page.close();
    });

    it('half done: the report opens on the named mistake, above the fold, before the parts not started', async () => {
      const opened = await open(reportOf('half-done'));
      const { page } = opened;
      const first = page.locator('#failures article').first();
      await expect(first.getAttribute('data-test-id')).resolves.toBe('optimizer.Adam.steps');
      expect(await first.locator('.mistake .hint').isVisible()).toBe(true);
      const box = await first.locator('.mistake').boundingBox();
      expect(box, 'the named mistake has a box').not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(DESKTOP.height);
      const notStarted = await page.locator('#not-started').boundingBox();
      expect(notStarted!.y).toBeGreaterThan(box!.y);
      await expectClean(opened, 'half-done');
      await page.close();
    });

    it('at phone width, nothing overflows the page: tables scroll inside their box', async () => {
      for (const id of ['adam-no-bias-correction', 'student-template']) {
        const opened = await open(reportOf(id), PHONE);
        const width = await opened.page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, id).toBeLessThanOrEqual(PHONE.width);
        const table = await opened.page.locator('#tests .table-scroll').evaluate((el) => ({
          scroll: el.scrollWidth,
          client: el.clientWidth,
          overflow: getComputedStyle(el).overflowX,
        }));
        expect(table.overflow).toBe('auto');
        expect(table.scroll).toBeGreaterThanOrEqual(table.client);
        await expectClean(opened, id === 'student-template' ? 'template' : 'mutant');
        await opened.page.close();
      }
    });

    it("the class report: histogram, pass rate per test, the mutant's mistake, each linking to its report", async () => {
      const opened = await open(join(ARTIFACTS, 'class-report.html'));
      const { page } = opened;
      await expect(page.locator('#scores rect.bar.count:not(.key)').count()).resolves.toBe(10);
      await expect(page.locator('#tests rect.bar.rate:not(.key)').count()).resolves.toBe(TESTS.length);
      const mistake = page.locator('#mistakes tr[data-mistake="adam-no-bias-correction"]');
      await expect(mistake.locator('td.num').textContent()).resolves.toBe('1');
      await expect(
        page.locator('#submissions a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      ).resolves.toEqual([
        'adam-no-bias-correction/report.html',
        'reference/report.html',
        'student-template/report.html',
      ]);
      // The untouched template is said to be not started, apart from the failing tests.
      await expect(page.locator('#not-graded tr[data-standing="not-started"] a').textContent()).resolves.toBe(
        'student-template',
      );
      // The legend has a swatch for each colour the pass-rate bars use.
      const barClasses = await page
        .locator('#tests rect.bar.rate:not(.key)')
        .evaluateAll((rs) => [...new Set(rs.map((r) => r.getAttribute('class')))].sort());
      const keyClasses = await page.locator('#tests rect.key').evaluateAll((rs) =>
        [
          ...new Set(
            rs.map((r) =>
              (r.getAttribute('class') ?? '')
                .replace(/\bkey\b/, '')
                .replace(/\s+/g, ' ')
                .trim(),
            ),
          ),
        ].sort(),
      );
      expect(keyClasses).toEqual(barClasses);
      await expectClean(opened, 'class-report');
      await mistake.locator('a').click();
      await page.waitForURL(/adam-no-bias-correction\/report\.html$/);
      await expect(page.locator('h1 code').textContent()).resolves.toBe('adam-no-bias-correction');
      expect(opened.errors).toEqual([]);
      await page.close();
    });
  });
}
