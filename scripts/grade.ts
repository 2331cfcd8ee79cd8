/**
 * The grading command for students, TAs and CI.
 *   npm run grade -- [SUBMISSION_DIR] [options]        one submission (default: reference/, or submission/ in a
 *                                                      student repository, which has no reference/)
 *   npm run grade -- batch DIR --out OUT [options]     a class, with a worker pool
 *   npm run grade -- merge OUT... --out DIR            shards into one gradebook and cohort summary
 *   npm run grade -- regrade-diff OLD NEW              whose grades moved, by how much, on which tests
 * Exit codes: 0 done; 1 a harness fault or any grader error; 2 bad usage; 3 (single, with --min-score)
 * the score is below the minimum; 130 interrupted (SIGINT or SIGTERM): a rerun resumes.
 */
import { sampleOtherLoad } from './cli/cpu-load.js';
import { prestart } from './cli/prestart.js';

// How busy other work keeps the machine, measured over the start-up (it decides the lanes).
const otherLoad = sampleOtherLoad();
// The submission's first child starts now, while the rest of the grader loads (about a second).
const prestarted = prestart(process.argv.slice(2));
const { gradeCommand } = await import('./cli/grade-cli.js');
gradeCommand(process.argv.slice(2), { prestarted, otherLoad });
