/**
 * Optimizer cases: `optimizer.<Name>.steps` (teacher-forced), `.closed-loop` and `.hidden` (the
 * TA's hidden cases), each run in the submission's process and compared step by step here.
 */
import { OPTIMIZER_NAMES, type OptimizerName } from '../../contract/index.js';
import type { Trajectory } from '../../runner/optimizer-case.js';
import type { LoadedCase } from '../fixtures.js';
import { freshCase } from '../fresh-cases.js';
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

/** The public teacher-forced cases, and in the TA's grading a fresh one (graders/fresh-cases.ts). */
async function withFresh(ctx: CheckContext, name: OptimizerName): Promise<LoadedCase[]> {
  const cases = casesOf(ctx.publicCases, name, 'teacher-forced');
  const fresh = cases[0] === undefined ? undefined : await freshCase(name, cases[0]);
  return fresh === undefined ? cases : [...cases, fresh];
}

export const OPTIMIZER_CASE_CHECKS: Check[] = OPTIMIZER_NAMES.flatMap((name): Check[] => [
  {
    id: `optimizer.${name}.steps`,
    needs: [name],
    group: 'visible',
    grade: async (ctx) => gradeCases(ctx, name, await withFresh(ctx, name)),
  },
  {
    id: `optimizer.${name}.closed-loop`,
    needs: [name],
    group: 'visible',
    grade: (ctx) => gradeCases(ctx, name, casesOf(ctx.publicCases, name, 'closed-loop')),
  },
  {
    id: `optimizer.${name}.hidden`,
    needs: [name],
    group: 'hidden',
    grade: (ctx) => gradeCases(ctx, name, casesOf(ctx.hiddenCases, name)),
  },
]);
