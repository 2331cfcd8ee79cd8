/**
 * How a script starts the grading command in a new process: as `npm run grade` does, from its
 * prebuilt bundle (scripts/run.mjs; scripts/cli/command-bundle.ts says why), with plain node.
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../runner/build.js';

/** The arguments to give node before the grading command's own. */
export const GRADE_COMMAND: readonly string[] = [join(PROJECT_ROOT, 'scripts', 'run.mjs'), 'grade'];
