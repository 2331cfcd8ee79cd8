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
import { HarnessError } from '../course/errors.js';
import { parseFlags, usage, type FlagSpec } from './cli/args.js';
import { listFiles, writeHarness, writeTargetFiles } from '../services/packages/export-package.js';
import { runMain } from './cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  out: { type: 'string', description: 'output directory (required; new or empty)' },
  hidden: {
    type: 'string',
    description:
      'hidden fixtures to pack in (npm run fixtures -- --hidden ...); they grade the .hidden tests',
  },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = [
  usage(
    'npm run export -- gradescope --out DIR [--hidden DIR]',
    'Writes DIR/autograder.zip, the Gradescope autograder (docs/gradescope.md).',
    FLAGS,
  ),
  usage(
    'npm run export -- prairielearn --out DIR [--hidden DIR]',
    'Writes the PrairieLearn external grader into DIR (docs/prairielearn.md).',
    FLAGS,
  ),
].join('\n\n');

async function main(): Promise<void> {
  const [target, ...rest] = process.argv.slice(2);
  const { flags, positional } = parseFlags(rest, FLAGS);
  if (flags['help'] || target === '--help') {
    console.log(USAGE);
    return;
  }
  if (target !== 'gradescope' && target !== 'prairielearn') {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the target gradescope or prairielearn, got ${JSON.stringify(target ?? '')}`,
    );
  }
  if (positional.length > 0)
    throw new HarnessError('OPTNN_BAD_OPTION', `Unexpected argument ${positional.join(' ')}`);
  if (typeof flags['out'] !== 'string')
    throw new HarnessError('OPTNN_BAD_OPTION', 'The option --out is required');
  const out = resolve(flags['out']);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new HarnessError('OPTNN_BAD_OPTION', `The output directory ${out} is not empty`);
  const hidden = typeof flags['hidden'] === 'string' ? resolve(flags['hidden']) : undefined;
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

runMain(main, USAGE);
