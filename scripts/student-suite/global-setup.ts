/**
 * Runs in vitest's main process: a new run note as the run starts and at each watch-mode rerun, so
 * the graded parts of one run never count a part graded by an earlier one.
 */
import type { TestProject } from 'vitest/node';
import { startRun } from './run-note.js';

export default function setup(project: TestProject): void {
  startRun();
  project.onTestsRerun(() => startRun());
}
