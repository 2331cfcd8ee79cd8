/**
 * The grading command's flags and usage texts, per subcommand, the submission graded by default, and
 * the isolation its flags ask for: light to load, so that scripts/grade.ts can read its arguments and
 * start the submission's first child before it loads the rest of the grader.
 */
import { existsSync } from 'node:fs';
import { HarnessError } from '../../course/errors.js';
import { MAX_LANES, type IsolatedOptions } from '../../runner/isolated-executor.js';
import { DEFAULT_LIMITS, type IsolationLimits } from '../../runner/isolated.js';
import { limitNotices } from '../../runner/process-tree.js';
import { bubblewrap, bubblewrapProblem, probeBubblewrap, unprivileged } from '../../runner/sandbox.js';
import { existingPath, type FlagSpec, type FlagValues } from './args.js';
import { defineCommand } from './command.js';

export const COMMON = {
  hidden: {
    type: 'string',
    path: 'directory',
    value: 'DIR',
    description: 'a directory of hidden fixtures (npm run fixtures -- --hidden ...)',
  },
  backend: {
    type: 'string',
    choices: ['auto', 'wasm', 'cpu'],
    description: "backend of the submission's process: auto (default, which is wasm), wasm or cpu",
  },
  sandbox: {
    type: 'string',
    choices: ['auto', 'bwrap', 'none'],
    description: 'bubblewrap around the submission: auto (when installed; default), bwrap (required), none',
  },
  lanes: {
    type: 'integer',
    min: 1,
    description: `child processes grading one submission side by side (default: the cores other work leaves free, at most ${MAX_LANES}; in a batch, the cores per worker)`,
  },
  'memory-mib': {
    type: 'integer',
    min: 256,
    description: `memory limit of each child's process tree, MiB (default ${DEFAULT_LIMITS.memoryMiB}; its JavaScript heap gets half); lanes × workers × this should fit the machine`,
  },
  'allow-unsandboxed': {
    type: 'boolean',
    description:
      'let batch grading run where submissions are not isolated from each other (no bubblewrap), and with hidden fixtures',
  },
} as const satisfies Record<string, FlagSpec>;

/** One submission: `npm run grade -- [SUBMISSION_DIR] [options]`. */
export const SINGLE = defineCommand({
  name: 'grade',
  synopsis: 'npm run grade -- [SUBMISSION_DIR] [options]',
  summary: 'Grades one submission (default: reference/, or submission/ where there is no reference/).',
  positionals: [
    {
      name: 'SUBMISSION_DIR',
      description: 'the submission directory',
      default: () => defaultSubmission(),
      defaultText: 'reference/, or submission/ where there is no reference/',
    },
  ],
  flags: {
    out: {
      type: 'string',
      value: 'OUT',
      default: 'out/grades',
      description: 'output directory; outputs go to OUT/<submission-id>/',
    },
    only: {
      type: 'string',
      value: 'IDS',
      description: 'comma-separated test ids from graders/manifest.json',
    },
    'cache-key': { type: 'string', description: '(used by batch workers) the key recorded in results.json' },
    'min-score': {
      type: 'float',
      min: 0,
      unit: 'points',
      description:
        'exit with code 3 when the score is below this many points (a CI check for a TA-set pass mark)',
    },
    ...COMMON,
  },
});

/** A class: `npm run grade -- batch SUBMISSIONS_DIR --out OUT [options]`. */
export const BATCH = defineCommand({
  name: 'batch',
  synopsis: 'npm run grade -- batch SUBMISSIONS_DIR --out OUT [options]',
  summary: 'Grades every submission directory in SUBMISSIONS_DIR; reruns skip current results.',
  positionals: [{ name: 'SUBMISSIONS_DIR', description: 'a directory of submissions, one directory each' }],
  flags: {
    out: { type: 'string', required: true, value: 'DIR', description: 'output directory' },
    jobs: { type: 'integer', min: 1, description: 'parallel workers (default: the number of cores)' },
    shard: {
      type: 'string',
      value: 'i/n',
      description: 'grade only the i-th of n shards of the class (for a CI matrix)',
    },
    ...COMMON,
  },
});

/** Shards into one: `npm run grade -- merge OUT... --out DIR`. */
export const MERGE = defineCommand({
  name: 'merge',
  synopsis: 'npm run grade -- merge OUT... --out DIR',
  summary: 'Joins batch outputs (shards) into gradebook.csv, cohort.json and class outputs.',
  positionals: [
    { name: 'OUT', description: 'one or more batch output directories', variadic: true, path: 'directory' },
  ],
  flags: {
    out: {
      type: 'string',
      required: true,
      value: 'DIR',
      description: 'output directory for the gradebook and cohort summary',
    },
  },
});

/** Two gradings compared: `npm run grade -- regrade-diff OLD_OUT NEW_OUT`. */
export const DIFF = defineCommand({
  name: 'regrade-diff',
  synopsis: 'npm run grade -- regrade-diff OLD_OUT NEW_OUT',
  summary: 'Lists the submissions whose grades moved, by how much, on which tests.',
  positionals: [
    { name: 'OLD_OUT', description: 'the batch output directory of the old grading', path: 'directory' },
    { name: 'NEW_OUT', description: 'the batch output directory of the new grading', path: 'directory' },
  ],
  flags: { json: { type: 'boolean', description: 'print the changes as JSON' } },
});

export const USAGES: Record<'single' | 'batch' | 'merge' | 'regrade-diff', string> = {
  single: SINGLE.usage,
  batch: BATCH.usage,
  merge: MERGE.usage,
  'regrade-diff': DIFF.usage,
};
export const OTHERS = 'Other commands: npm run grade -- batch | merge | regrade-diff (each with --help).';
export const USAGE = `${USAGES.single}\n\n${OTHERS}`;

/** The submission graded when none is named: the reference here, the student's own in a student repository. */
export function defaultSubmission(): string {
  return existsSync('reference') || !existsSync('submission') ? 'reference' : 'submission';
}

export const stringFlag = (flags: FlagValues, name: string): string | undefined =>
  typeof flags[name] === 'string' ? flags[name] : undefined;

/**
 * The isolation the flags ask for, probed once: bubblewrap where it works; with `--sandbox bwrap`
 * where it does not, a refusal that says why (bwrap's own words) and the fix. `notices` say what is
 * not in force here (a refused bubblewrap, a limit that cannot be measured), for stderr and results.json.
 */
export function isolationFor(
  flags: FlagValues,
  batchWithHidden: boolean,
): { isolation: IsolatedOptions; sandboxName: string; notices: string[] } {
  const mode = stringFlag(flags, 'sandbox') ?? 'auto';
  const probe = mode === 'none' ? undefined : probeBubblewrap();
  const bwrap = probe?.state === 'ok' ? probe.path : undefined;
  if (mode === 'bwrap' && probe?.state === 'refused')
    throw new HarnessError('OPTNN_SANDBOX', `--sandbox bwrap was asked for, but ${bubblewrapProblem()!}`);
  if (mode === 'bwrap' && bwrap === undefined) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      '--sandbox bwrap was asked for, but bubblewrap is not installed (Debian: apt-get install bubblewrap)',
    );
  }
  if (batchWithHidden && bwrap === undefined && flags['allow-unsandboxed'] !== true) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Batch grading with hidden fixtures refuses to run without bubblewrap (${mode === 'none' ? '--sandbox none' : bubblewrapProblem()!}); pass --allow-unsandboxed to run with the Node-level layers only`,
    );
  }
  const notices = [
    ...(probe?.state === 'refused'
      ? [`${bubblewrapProblem()!}; graded with the Node-only layers instead (the network is not cut off)`]
      : []),
    ...limitNotices(),
  ];
  const backend = (stringFlag(flags, 'backend') ?? 'auto') === 'cpu' ? 'cpu' : 'wasm';
  const limits = limitsFor(flags);
  return {
    isolation: { backend, sandbox: bwrap ? bubblewrap(bwrap) : unprivileged, limits },
    sandboxName: bwrap ? 'bubblewrap + Node permission model' : 'Node permission model only',
    notices,
  };
}

/** The limits of each child: the defaults, with `--memory-mib` for the tree and half of it for the heap. */
export function limitsFor(flags: FlagValues): IsolationLimits {
  const memoryMiB = typeof flags['memory-mib'] === 'number' ? flags['memory-mib'] : DEFAULT_LIMITS.memoryMiB;
  return { ...DEFAULT_LIMITS, memoryMiB, heapMiB: Math.floor(memoryMiB / 2) };
}

/** `path`, resolved, when it is a directory; else a usage error naming `what` (SUBMISSION_DIR). */
export const existingDir = (path: string, what: string): string => existingPath(path, 'directory', what);
