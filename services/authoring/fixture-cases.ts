/**
 * The optimizer cases the fixtures hold, made deterministically from a seed: teacher-forced cases
 * (given gradients, several parameter shapes, one parameter without a gradient on some steps) with
 * the notebook defaults and with other hyperparameters, and a closed-loop case on a real MNIST
 * batch. Public fixtures use PUBLIC_SEED; hidden ones a TA's secret seed, which also changes the
 * hyperparameters and shapes.
 */
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, type OptimizerName } from '../../contract/index.js';
import type {
  CaseInput,
  ClosedLoopInput,
  ParamSpec,
  TeacherForcedInput,
} from '../../contract/fixture-schema.js';
import type { ImageDataset } from '../../course/data/dataset.js';
import { deriveSeed, mulberry32, type Rng } from '../../course/rng.js';

export const PUBLIC_SEED = 1001;
export const TEACHER_FORCED_STEPS = 24;
export const CLOSED_LOOP_STEPS = 12;
/** The long teacher-forced case: past step 100, where a late error (a bias correction or decay that stops) shows. */
export const LONG_RUN_STEPS = 160;
export const CLOSED_LOOP_BATCH = 32;

/** Hyperparameters where each one visibly matters (large eps, strong decay), for the public "custom" case. */
export const CUSTOM_ARGS: Record<OptimizerName, number[]> = {
  GD: [0.05],
  SGDwM: [0.1, 0.5],
  NAGD: [0.1, 0.5],
  SGDwMLD: [0.1, 0.8, 0.2],
  AdaGrad: [0.1, 0.1],
  RMSProp: [0.05, 0.1, 0.7],
  Adam: [0.05, 0.8, 0.9, 0.1],
};

/** float32 values with 9 significant digits: parsing them back gives the same float32. */
export function f32(value: number): number {
  return Number(Math.fround(value).toPrecision(9));
}

function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function values(rng: Rng, n: number, scale: number): number[] {
  return Array.from({ length: n }, () => f32(normal(rng) * scale));
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

interface Shapes {
  matrix: number[];
  vector: number[];
}

/** Public shapes are fixed; hidden ones vary with the seed. */
function shapesFor(seed: number, hidden: boolean): Shapes {
  if (!hidden) return { matrix: [3, 4], vector: [5] };
  const rng = mulberry32(deriveSeed(seed, 7));
  const options: Shapes[] = [
    { matrix: [2, 6], vector: [7] },
    { matrix: [4, 3], vector: [3] },
    { matrix: [5, 2], vector: [6] },
  ];
  return options[Math.floor(rng() * options.length)]!;
}

/** Hidden fixtures perturb every hyperparameter by a seeded factor, keeping it in range. */
function argsFor(name: OptimizerName, base: number[], seed: number, hidden: boolean): number[] {
  if (!hidden) return base;
  const rng = mulberry32(deriveSeed(seed, OPTIMIZER_NAMES.indexOf(name), 11));
  const keys = Object.keys(OPTIMIZER_DEFAULTS[name]);
  return base.map((v, i) => {
    const factor = 0.6 + 0.8 * rng();
    const key = keys[i]!;
    const bounded =
      ['momentum', 'gradDecay', 'squaredGradDecay'].includes(key) || (key === 'decay' && name === 'RMSProp');
    return f32(bounded ? Math.min(0.98, v * factor) : v * factor);
  });
}

/**
 * Three parameters (a matrix, a vector, a scalar). Gradients differ in scale (the vector's are
 * small, so eps matters) and the vector gets no gradient on every fourth step.
 */
export function teacherForcedInput(
  name: OptimizerName,
  args: number[],
  seed: number,
  hidden: boolean,
): TeacherForcedInput {
  const rng = mulberry32(seed);
  const shapes = shapesFor(seed, hidden);
  const params: ParamSpec[] = [
    { name: 'weight', shape: shapes.matrix, initial: values(rng, size(shapes.matrix), 0.5) },
    { name: 'bias', shape: shapes.vector, initial: values(rng, size(shapes.vector), 0.1) },
    { name: 'scale', shape: [], initial: values(rng, 1, 1) },
  ];
  const grads = Array.from({ length: TEACHER_FORCED_STEPS }, (_, k) => ({
    weight: values(rng, size(shapes.matrix), 1),
    bias: k % 4 === 2 ? null : values(rng, size(shapes.vector), 0.01),
    scale: values(rng, 1, 3),
  }));
  return { kind: 'teacher-forced', optimizer: name, args, params, grads };
}

/**
 * A long run on small parameters (8 values, so 160 steps cost little to run, store and compare): a
 * 2×2 matrix, a vector with small gradients and none on every fifth step, and a scalar. Errors that
 * start late (after step 100) change every later step.
 */
export function longRunInput(name: OptimizerName, args: number[], seed: number): TeacherForcedInput {
  const rng = mulberry32(seed);
  const params: ParamSpec[] = [
    { name: 'weight', shape: [2, 2], initial: values(rng, 4, 0.5) },
    { name: 'bias', shape: [3], initial: values(rng, 3, 0.1) },
    { name: 'scale', shape: [], initial: values(rng, 1, 1) },
  ];
  const grads = Array.from({ length: LONG_RUN_STEPS }, (_, k) => ({
    weight: values(rng, 4, 1),
    bias: k % 5 === 3 ? null : values(rng, 3, 0.01),
    scale: values(rng, 1, 3),
  }));
  return { kind: 'teacher-forced', optimizer: name, args, params, grads };
}

/**
 * A dense 49 → 10 net on a real MNIST batch, images mean-pooled 4×4 to 7×7. The student's optimizer
 * makes every step, so its own trajectory produces the gradients.
 */
export function closedLoopInput(
  name: OptimizerName,
  args: number[],
  data: ImageDataset,
  seed: number,
): ClosedLoopInput {
  const rng = mulberry32(deriveSeed(seed, 3));
  const start = Math.floor(rng() * (data.length - CLOSED_LOOP_BATCH));
  const image = new Float32Array(28 * 28);
  const images: number[] = [];
  const labels: number[] = [];
  for (let i = start; i < start + CLOSED_LOOP_BATCH; i++) {
    data.copyImage(i, image, 0);
    for (let by = 0; by < 7; by++) {
      for (let bx = 0; bx < 7; bx++) {
        let sum = 0;
        for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) sum += image[(by * 4 + y) * 28 + bx * 4 + x]!;
        images.push(f32(sum / 16));
      }
    }
    labels.push(data.label(i));
  }
  const bound = 1 / Math.sqrt(49);
  const uniform = (n: number): number[] => Array.from({ length: n }, () => f32((2 * rng() - 1) * bound));
  return {
    kind: 'closed-loop',
    optimizer: name,
    args,
    params: [
      { name: 'kernel', shape: [49, 10], initial: uniform(490) },
      { name: 'bias', shape: [10], initial: uniform(10) },
    ],
    images,
    features: 49,
    labels,
    steps: CLOSED_LOOP_STEPS,
  };
}

export interface CaseSpec {
  id: string;
  description: string;
  input: CaseInput;
}

/** Every case of one optimizer. */
export function casesFor(name: OptimizerName, data: ImageDataset, seed: number, hidden: boolean): CaseSpec[] {
  const slug = name.toLowerCase();
  const defaults = Object.values(OPTIMIZER_DEFAULTS[name]) as number[];
  const optimizerSeed = deriveSeed(seed, OPTIMIZER_NAMES.indexOf(name));
  const custom = argsFor(name, CUSTOM_ARGS[name], seed, hidden);
  const defaultArgs = argsFor(name, defaults, seed + 1, hidden);
  return [
    {
      id: `${slug}-defaults`,
      description: `${name}(${defaultArgs.join(', ')}), ${TEACHER_FORCED_STEPS} steps with given gradients`,
      input: teacherForcedInput(name, defaultArgs, deriveSeed(optimizerSeed, 1), hidden),
    },
    {
      id: `${slug}-custom`,
      description: `${name}(${custom.join(', ')}), ${TEACHER_FORCED_STEPS} steps with given gradients`,
      input: teacherForcedInput(name, custom, deriveSeed(optimizerSeed, 2), hidden),
    },
    {
      id: `${slug}-long`,
      description: `${name}(${defaultArgs.join(', ')}), ${LONG_RUN_STEPS} steps with given gradients (late steps count too)`,
      input: longRunInput(name, defaultArgs, deriveSeed(optimizerSeed, 4)),
    },
    {
      id: `${slug}-closed-loop`,
      description: `${name}(${defaultArgs.join(', ')}) training a dense 49→10 net on ${CLOSED_LOOP_BATCH} real MNIST digits, ${CLOSED_LOOP_STEPS} steps`,
      input: closedLoopInput(name, defaultArgs, data, deriveSeed(optimizerSeed, 3)),
    },
  ];
}
