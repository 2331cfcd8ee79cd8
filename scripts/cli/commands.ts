/**
 * Every command of the project, by the name `npm run` knows it: what it does in one line, its entry
 * file, and a lazy loader of that file, so that listing the commands loads none of them. Each entry
 * file declares its flags and arguments with defineCommand (scripts/cli/command.ts) and runs itself
 * on the process's arguments.
 *   tsx scripts/cli/commands.ts                     lists the commands
 *   tsx scripts/cli/commands.ts NAME [arguments]    runs one, as  npm run NAME -- [arguments]
 * Entry files never import this table: a student repository or an LMS package ships the files its
 * commands import (services/packages/script-files.ts), and this table imports them all.
 */
import { join, resolve } from 'node:path';

const PROJECT_DIR = join(import.meta.dirname, '..', '..');

export interface CommandEntry {
  summary: string;
  /** Its entry file, from the project root. */
  script: string;
  /** Loads (and so runs) the entry file on process.argv. */
  load: () => Promise<unknown>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  grade: {
    summary: 'grades one submission, a class (batch), merges shards, or diffs two gradings',
    script: 'scripts/grade.ts',
    load: () => import('../grade.js'),
  },
  experiments: {
    summary: "runs the notebook's training cells with a submission's code; JSON and an HTML page",
    script: 'scripts/experiments.ts',
    load: () => import('../experiments.js'),
  },
  tune: {
    summary: 'trains tuning choices as the grader retrains tuning.json; --write keeps the best',
    script: 'scripts/tune.ts',
    load: () => import('../tune.js'),
  },
  trajectory: {
    summary: "prints an optimizer's parameters after each step as JSON",
    script: 'scripts/trajectory.ts',
    load: () => import('../trajectory.js'),
  },
  fixtures: {
    summary: 'makes the optimizer fixtures (public, or hidden with a secret seed)',
    script: 'scripts/make-fixtures.ts',
    load: () => import('../make-fixtures.js'),
  },
  template: {
    summary: 'writes student-template/ from reference/ (--check compares only)',
    script: 'scripts/make-template.ts',
    load: () => import('../make-template.js'),
  },
  calibrate: {
    summary: 'calibrates the training thresholds from the reference over several seeds',
    script: 'scripts/calibrate-thresholds.ts',
    load: () => import('../calibrate-thresholds.js'),
  },
  release: {
    summary: 'builds the student starter repository',
    script: 'scripts/release.ts',
    load: () => import('../release.js'),
  },
  export: {
    summary: 'writes the Gradescope or PrairieLearn autograder package',
    script: 'scripts/export.ts',
    load: () => import('../export.js'),
  },
  autograde: {
    summary: "(inside an LMS package) grades the upload and writes the LMS's results file",
    script: 'scripts/autograde.ts',
    load: () => import('../autograde.js'),
  },
};

/** The list `tsx scripts/cli/commands.ts` prints. */
export function commandList(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Commands (npm run NAME -- --help for each one's options):\n${lines.join('\n')}`;
}

/** Runs the command `name` as its own entry file would be run: argv[1] is that file, the arguments follow. */
export async function runCommandNamed(name: string, args: readonly string[]): Promise<void> {
  const entry = COMMANDS[name]!;
  process.argv = [process.argv[0]!, join(PROJECT_DIR, entry.script), ...args];
  await entry.load();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const [name, ...args] = process.argv.slice(2);
  if (name === undefined || name === '--help') console.log(commandList());
  else if (!Object.hasOwn(COMMANDS, name)) {
    console.error(
      `error [OPTNN_BAD_OPTION]: Expected a command, one of ${Object.keys(COMMANDS).join(', ')}, got ${JSON.stringify(name)}\n\n${commandList()}`,
    );
    process.exitCode = 2;
  } else await runCommandNamed(name, args);
}
