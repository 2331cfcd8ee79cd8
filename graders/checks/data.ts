/**
 * `data`: makeLoaders's subset and loaders, over several epochs: the subset holds 3,200 distinct
 * samples of the data set, each with its own label; gdDataLoader yields one batch of all of them
 * every epoch (in any order); dataLoader yields
 * 50 batches of exactly 64, each epoch a permutation of the subset, reshuffled every epoch
 * (SPEC.md and the contract). Samples are compared by a hash of their pixels and label.
 */
import type { ImageDataset } from '../../course/data/dataset.js';
import { gradingData } from '../trained-net.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import { sampleHash, type LoaderEpochs, type LoaderProbe } from '../../runner/training-probes.js';
import { notImplementedPart } from '../optimizer-grader.js';
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
  real: RealSamples,
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
      const inSubset = new Set(subset);
      const foreign = epoch.samples.findIndex((h) => !inSubset.has(h));
      const mislabelled = foreign >= 0 ? real.mislabelled().get(epoch.samples[foreign]!) : undefined;
      problems.push(
        mislabelled
          ? `in epoch ${e + 1}, ${name}'s batch ${Math.floor(foreign / batch) + 1} pairs an image with another sample's label (sample ${foreign % batch} of the batch is the image of data set sample ${mislabelled.index}, label ${mislabelled.label}, given label ${mislabelled.given}): images and labels must be shuffled together`
          : `epoch ${e + 1} of ${name} is not a permutation of the subset (${seen} distinct samples of ${subset.length}): every sample comes exactly once per epoch`,
      );
    }
  });
  return problems;
}

/** What the grading process knows of the data set makeLoaders was given: each sample's hash, and its image's hash with every other label. */
interface RealSamples {
  /** The hash of every sample (its pixels and its own label). */
  own: ReadonlySet<number>;
  /** Made on first need: the hash of an image with a label that is not its own, to the sample's index and label. */
  mislabelled(): ReadonlyMap<number, { index: number; label: number; given: number }>;
}

function realSamples(data: ImageDataset): RealSamples {
  const image = new Float32Array(784);
  const own = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    data.copyImage(i, image, 0);
    own.add(sampleHash(image, 0, 784, data.label(i)));
  }
  let wrong: Map<number, { index: number; label: number; given: number }> | undefined;
  return {
    own,
    mislabelled: () => {
      if (wrong !== undefined) return wrong;
      wrong = new Map();
      for (let i = 0; i < data.length; i++) {
        data.copyImage(i, image, 0);
        for (let given = 0; given < 10; given++)
          if (given !== data.label(i))
            wrong.set(sampleHash(image, 0, 784, given), { index: i, label: data.label(i), given });
      }
      return wrong;
    },
  };
}

/**
 * The subset's samples against the data set: each one of its samples, with its own label, and no
 * sample twice (SPEC.md: any 3,200 distinct samples of the training set).
 */
function subsetProblems(subset: readonly number[], real: RealSamples): string[] {
  const foreign = subset.findIndex((h) => !real.own.has(h));
  if (foreign >= 0) {
    const count = subset.filter((h) => !real.own.has(h)).length;
    const mislabelled = real.mislabelled().get(subset[foreign]!);
    const which = mislabelled
      ? `its image is sample ${mislabelled.index} of the data set, whose label is ${mislabelled.label}, but it comes with label ${mislabelled.given}`
      : 'its pixels are no image of the data set as makeLoaders received it';
    return [
      `subset sample ${foreign} is not a sample of the data set: ${which} (${count} of ${subset.length} subset samples are not; SPEC.md: the subset is 3,200 samples of the data set, each image with its own label, unchanged: makeLoaders receives the data already normalised)`,
    ];
  }
  const seen = new Set<number>();
  const twice = subset.findIndex((h) => seen.size === seen.add(h).size);
  return twice >= 0
    ? [
        `subset sample ${twice} is a sample already in the subset (${subset.length - new Set(subset).size} repeats): the subset is 3,200 distinct samples`,
      ]
    : [];
}

export function judgeData(p: LoaderProbe, real: RealSamples): string[] {
  if (p.subsetLength !== 3200 || p.subset.length !== p.subsetLength)
    return [`the subset holds ${p.subsetLength} samples, expected 50 · 64 = 3200`];
  const range = rangeProblem(p);
  if (range !== undefined) return [range];
  const samples = subsetProblems(p.subset, real);
  if (samples.length > 0) return samples;
  const problems = [
    ...loaderProblems('gdDataLoader', p.gd, p.subset, 3200, 2, real),
    ...loaderProblems('dataLoader', p.batched, p.subset, 64, 3, real),
  ];
  if (problems.length > 0) return problems;
  // gdDataLoader may keep its order or reshuffle (SPEC.md): the mean gradient of one full batch
  // does not depend on the order of its samples.
  const orders = p.batched.epochs.map((e) => e.samples);
  if (orders.some((o, i) => orders.slice(i + 1).some((later) => same(o, later)))) {
    problems.push(
      'dataLoader yields the same order in two epochs: it must be reshuffled every epoch (the contract: "reshuffled every epoch")',
    );
  } else if (same(orders[0]!, p.subset)) {
    problems.push("dataLoader's first epoch is the subset in its own order: it must be shuffled");
  }
  if (p.labelDtype !== 'int32') problems.push(`labels are ${p.labelDtype}, expected int32`);
  return problems;
}

/** The loaders' pixel range, which says at once whether the data was normalised a second time. */
function rangeProblem(p: LoaderProbe): string | undefined {
  if (p.min >= -1.0001 && p.max <= 1.0001 && p.min <= -0.99) return undefined;
  const twice =
    Math.abs(p.min + 3) < 0.01
      ? ': they look normalised twice; makeLoaders receives the data set already normalised (SPEC.md), so it must not apply Normalize again'
      : '';
  return `pixel values span [${p.min}, ${p.max}], expected [−1, 1] after Normalize(0.5, 0.5) (SPEC.md: pixel x in [0,1] becomes (x - 0.5) / 0.5)${twice}`;
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
    // The probe's fault already says where it happened (makeLoaders, or a loader in an epoch).
    if (!probe.ok) return done({ status: 'failed', message: notImplementedPart(probe.fault) ?? probe.fault });
    const problems = judgeData(probe.value, realSamples(gradingData()));
    return done(
      problems.length === 0
        ? {
            status: 'passed',
            message:
              'a subset of 3,200 distinct samples of the data set, each with its own label; one full batch of all of them every epoch; 50 batches of 64, each epoch a new permutation of the subset',
          }
        : { status: 'failed', message: problems.join('; ') },
    );
  },
};
