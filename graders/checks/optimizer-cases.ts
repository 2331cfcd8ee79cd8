/**
 * Optimizer cases: `optimizer.<Name>.steps` (teacher-forced), `.closed-loop` and `.hidden` (the
 * TA's hidden cases), each run in the submission's process and compared step by step here.
 */
import { OPTIMIZER_NAMES, type OptimizerName } from '../../contract/index.js';
import type { Trajectory } from '../../runner/optimizer-case.js';
import type { LoadedCase } from '../fixtures.js';
import { casesVerdict } from '../optimizer-grader.js';
import { casesOf, notObserved, type Check, type CheckContext } from './check.js';

async function gradeCases(context: CheckContext, name: OptimizerName, cases: readonly LoadedCase[]) {
  if (cases.length === 0) throw new Error(`no fixture case for ${context.id}`);
  const outcomes = [];
  for (const c of cases) {
    const outcome = await context.run({ kind: 'case', input: c.input }, `${name}, case ${c.id}`);
    if (!outcome.ok) return notObserved(context, outcome);
    outcomes.push({ case: c, trajectory: outcome.result as Trajectory });
  }
  return casesVerdict(context.id, name, outcomes, context.mistakeRuns, context.started);
}

export const OPTIMIZER_CASE_CHECKS: Check[] = OPTIMIZER_NAMES.flatMap((name): Check[] => [
  { id: `optimizer.${name}.steps`, needs: [name], group: 'visible', grade: (ctx) => gradeCases(ctx, name, casesOf(ctx.publicCases, name, 'teacher-forced')) },
  { id: `optimizer.${name}.closed-loop`, needs: [name], group: 'visible', grade: (ctx) => gradeCases(ctx, name, casesOf(ctx.publicCases, name, 'closed-loop')) },
  { id: `optimizer.${name}.hidden`, needs: [name], group: 'hidden', grade: (ctx) => gradeCases(ctx, name, casesOf(ctx.hiddenCases, name)) },
]);
