/**
 * `npm run export -- gradescope|prairielearn --out DIR [--hidden DIR]`: the packages an LMS grades with.
 *   gradescope:   DIR/autograder.zip (setup.sh, run_autograder, the harness), to upload as the autograder
 *   prairielearn: DIR/ as a Docker build context for the external grader (Dockerfile, run, the
 *                 harness) and a sample question info.json
 * Neither holds the reference solution; hidden fixtures only with --hidden. Exit codes: 0, 1, 2 (usage).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HarnessError, describeValue } from '../course/errors.js';
import { defineCommand, runCommand } from './cli/command.js';
import { listFiles, writeHarness, writeTargetFiles } from '../services/packages/export-package.js';

const TARGET = {
  name: 'TARGET',
  description: 'the LMS to package for',
  choices: ['gradescope', 'prairielearn'],
} as const;

export const command = defineCommand({
  name: 'export',
  synopsis: 'npm run export -- gradescope|prairielearn --out DIR [--hidden DIR]',
  summary:
    'gradescope: writes DIR/autograder.zip, the Gradescope autograder (docs/gradescope.md).\n' +
    'prairielearn: writes the PrairieLearn external grader into DIR (docs/prairielearn.md).',
  positionals: [TARGET],
  flags: {
    out: { type: 'string', required: true, value: 'DIR', description: 'output directory, new or empty' },
    hidden: {
      type: 'string',
      path: 'directory',
      value: 'DIR',
      description:
        'hidden fixtures to pack in (npm run fixtures -- --hidden ...); they grade the .hidden tests',
    },
  },
  run: async ({ flags, positionals }) => exportPackage(positionals.TARGET, flags.out, flags.hidden),
});

async function exportPackage(
  target: (typeof TARGET.choices)[number],
  outFlag: string,
  hiddenFlag: string | undefined,
): Promise<void> {
  const out = resolve(outFlag);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --out to be a new or empty directory, got ${describeValue(outFlag)}, which holds ${readdirSync(out).length} entries (${out})`,
    );
  const hidden = hiddenFlag === undefined ? undefined : resolve(hiddenFlag);
  mkdirSync(out, { recursive: true });
  if (target === 'prairielearn') {
    writeHarness(out, hidden);
    writeTargetFiles('prairielearn', out);
    console.log(
      `wrote the PrairieLearn external grader to ${out} (${listFiles(out).length} files): docker build -t optnn-grader ${out}`,
    );
    return;
  }
  const tree = mkdtempSync(join(tmpdir(), 'optnn-gradescope-'));
  try {
    writeHarness(tree, hidden);
    writeTargetFiles('gradescope', tree);
    const zip = join(out, 'autograder.zip');
    try {
      execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: tree, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new HarnessError(
        'OPTNN_DATA_MISSING',
        `zip failed (is it installed? apt-get install zip): ${(error as Error).message}`,
      );
    }
    console.log(
      `wrote ${zip} (${listFiles(tree).length} files${hidden ? ', hidden fixtures included' : ''}): upload it as the assignment's autograder`,
    );
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

runCommand(command);
