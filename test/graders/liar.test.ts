/**
 * No verdict rests on what the submission's process says (security model, classes 1 and 3). The
 * executor here answers as a compromised child could: it runs the reference (the right answers,
 * known in advance), then lies about them — drops steps, or reports plausible losses with untrained
 * weights. The grading process must fail every such answer: it checks completeness itself and
 * recomputes every loss and accuracy from the weights with its own net and data.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import { initialParams } from '../../graders/trained-net.js';
import type { Verdict } from '../../graders/verdict.js';
import { InProcessExecutor, type ExecOutcome, type Executor } from '../../runner/executor.js';
import type { Request } from '../../runner/protocol.js';

const reference = join(import.meta.dirname, '..', '..', 'reference');
const ONLY = ['optimizer.Adam.steps', 'optimizer.Adam.closed-loop', 'optimizer.Adam.training', 'tuning'];
const SEED = 3;

type Lie = (request: Request, honest: ExecOutcome) => ExecOutcome;

/** The reference answers, then `lie` rewrites the answer before the grader sees it. */
class LyingExecutor implements Executor {
  private readonly honest = new InProcessExecutor(reference);
  constructor(private readonly lie: Lie) {}
  prepare(): ReturnType<Executor['prepare']> {
    return this.honest.prepare();
  }
  async run(request: Request): Promise<ExecOutcome> {
    return this.lie(request, await this.honest.run(request));
  }
  close(): void {
    this.honest.close();
  }
}

const grade = async (lie: Lie): Promise<Map<string, Verdict>> => {
  const verdicts = await gradeSubmission(reference, {
    only: ONLY,
    executor: new LyingExecutor(lie),
    trainingSeed: SEED,
  });
  return new Map(verdicts.map((v) => [v.id, v]));
};

type Answer = Record<string, unknown>;
const value = (outcome: ExecOutcome): Answer | undefined =>
  outcome.ok && typeof outcome.result === 'object' && outcome.result !== null
    ? (outcome.result as Answer)
    : undefined;

describe('a child that lies about its observations earns nothing by it', () => {
  it('the honest reference passes the same tests (the control)', async () => {
    const verdicts = await grade((_, honest) => honest);
    for (const id of ONLY)
      expect(verdicts.get(id)?.status, `${id}: ${verdicts.get(id)?.message}`).toBe('passed');
  }, 120_000);

  it('fewer step records than asked fail the step and closed-loop tests, saying the observation is incomplete', async () => {
    const verdicts = await grade((request, honest) => {
      const answer = value(honest);
      if (request.kind !== 'case' || answer === undefined) return honest;
      const steps = answer['steps'] as unknown[];
      return { ok: true, result: { ...answer, steps: steps.slice(0, Math.ceil(steps.length / 2)) } };
    });
    for (const id of ['optimizer.Adam.steps', 'optimizer.Adam.closed-loop']) {
      const verdict = verdicts.get(id)!;
      expect(verdict.status, verdict.message).toBe('failed');
      expect(verdict.message).toMatch(/incomplete/i);
    }
  }, 120_000);

  it('plausible losses with untrained weights fail the training and tuning tests', async () => {
    const verdicts = await grade((request, honest) => {
      const answer = value(honest);
      if (answer === undefined || !answer['ok']) return honest;
      const inner = answer['value'] as Answer;
      if (request.kind === 'training')
        return { ok: true, result: { ...answer, value: { ...inner, final: inner['initial'] } } };
      if (request.kind === 'tuning')
        return { ok: true, result: { ...answer, value: { ...inner, final: initialParams(request.seed) } } };
      return honest;
    });
    const training = verdicts.get('optimizer.Adam.training')!;
    expect(training.status, training.message).toBe('failed');
    const tuning = verdicts.get('tuning')!;
    expect(tuning.status, tuning.message).toBe('failed');
  }, 120_000);
});
