/**
 * `data`: makeLoaders's subset and loaders, over several epochs: the subset holds 3,200 samples;
 * gdDataLoader yields one batch of all of them, in the same order every epoch; dataLoader yields
 * 50 batches of exactly 64, each epoch a permutation of the subset, reshuffled every epoch
 * (SPEC.md and the contract). Samples are compared by a hash of their pixels and label.
 */
import type { Probe } from '../../runner/optimizer-probes.js';
import type { LoaderEpochs, LoaderProbe } from '../../runner/training-probes.js';
import { faultOutcome } from '../training-grader.js';
import type { Verdict } from '../verdict.js';
import { notObserved, type Check } from './check.js';

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function loaderProblems(
  name: string,
  loader: LoaderEpochs,
  subset: readonly number[],
  batch: number,
  epochs: number,
): string[] {
  const problems: string[] = [];
  if (loader.epochs.length !== epochs)
    return [
      `incomplete observation: ${name} was read for ${loader.epochs.length} epochs, expected ${epochs}`,
    ];
  const batches = Math.ceil(subset.length / batch);
  const members = sorted(subset);
  loader.epochs.forEach((epoch, e) => {
    const wrong = epoch.shapes.findIndex((s) => JSON.stringify(s) !== JSON.stringify([batch, 28, 28, 1]));
    if (epoch.shapes.length !== batches || wrong >= 0) {
      problems.push(
        `in epoch ${e + 1} ${name} yields ${epoch.shapes.length} batches${wrong >= 0 ? ` (batch ${wrong + 1} has shape ${JSON.stringify(epoch.shapes[wrong])})` : ''}, expected ${batches} of exactly [${batch}, 28, 28, 1]`,
      );
    } else if (!same(sorted(epoch.samples), members)) {
      const seen = new Set(epoch.samples).size;
      problems.push(
        `epoch ${e + 1} of ${name} is not a permutation of the subset (${seen} distinct samples of ${subset.length}): every sample comes exactly once per epoch`,
      );
    }
  });
  return problems;
}

export function judgeData(p: LoaderProbe): string[] {
  if (p.subsetLength !== 3200 || p.subset.length !== p.subsetLength)
    return [`the subset holds ${p.subsetLength} samples, expected 50 · 64 = 3200`];
  const problems = [
    ...loaderProblems('gdDataLoader', p.gd, p.subset, 3200, 2),
    ...loaderProblems('dataLoader', p.batched, p.subset, 64, 3),
  ];
  if (problems.length > 0) return problems;
  if (!same(p.gd.epochs[0]!.samples, p.gd.epochs[1]!.samples))
    problems.push(
      'gdDataLoader changes its order between epochs: it is one batch of the whole subset in a fixed order',
    );
  const orders = p.batched.epochs.map((e) => e.samples);
  if (orders.some((o, i) => orders.slice(i + 1).some((later) => same(o, later)))) {
    problems.push(
      'dataLoader yields the same order in two epochs: it must be reshuffled every epoch (the contract: "reshuffled every epoch")',
    );
  } else if (same(orders[0]!, p.subset)) {
    problems.push("dataLoader's first epoch is the subset in its own order: it must be shuffled");
  }
  if (p.labelDtype !== 'int32') problems.push(`labels are ${p.labelDtype}, expected int32`);
  if (p.min < -1.0001 || p.max > 1.0001 || p.min > -0.99) {
    problems.push(
      `pixel values span [${p.min}, ${p.max}], expected [−1, 1] after Normalize(0.5, 0.5) (SPEC.md: pixel x in [0,1] becomes (x - 0.5) / 0.5)`,
    );
  }
  return problems;
}

export const DATA_CHECK: Check = {
  id: 'data',
  needs: ['makeLoaders'],
  group: 'visible',
  grade: async (ctx): Promise<Verdict> => {
    const outcome = await ctx.run({ kind: 'data' }, 'makeLoaders');
    if (!outcome.ok) return notObserved(ctx, outcome);
    const probe = outcome.result as Probe<{ value: LoaderProbe }>;
    const done = (v: Omit<Verdict, 'id' | 'durationMs'>): Verdict => ({
      id: ctx.id,
      ...v,
      durationMs: performance.now() - ctx.started,
    });
    if (!probe.ok) return done(faultOutcome('makeLoaders', probe.fault));
    const problems = judgeData(probe.value);
    return done(
      problems.length === 0
        ? {
            status: 'passed',
            message:
              'a 3,200-sample subset; one full batch in a fixed order; 50 batches of 64, each epoch a new permutation of the subset',
          }
        : { status: 'failed', message: problems.join('; ') },
    );
  },
};
