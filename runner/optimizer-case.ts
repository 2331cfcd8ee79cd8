/**
 * Runs one optimizer case on a submission's optimizer class and returns plain numbers: the
 * parameters after every step, or where and how the student's code failed. Nothing here decides a
 * verdict; the caller compares. A student's exception is data, never a crash of the harness.
 */
import * as tf from '@tensorflow/tfjs';
import type { CaseInput, ClosedLoopInput, TeacherForcedInput } from '../contract/fixture-schema.js';
import type { OptimizerClasses } from '../contract/index.js';
import { tensorCount } from './pristine.js';

export interface StudentFault {
  /** 0: the constructor; k ≥ 1: step k. */
  step: number;
  message: string;
}

export interface Trajectory {
  /** steps[k][name]: the parameter after step k + 1, as far as the run got. */
  steps: Array<Record<string, number[]>>;
  fault?: StudentFault;
  /** tf.memory().numTensors after each step, to see leaks. */
  tensorCounts: number[];
}

/** What a thrown value says: Error messages, strings, undefined and other values alike. */
/**
 * The first frame of an error's stack in the submission's own files, as `path:line:column`
 * (runner/build.ts bundles them with source maps under this namespace), or undefined.
 */
export function submissionFrame(error: Error): string | undefined {
  let stack: unknown;
  try {
    stack = error.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string') return undefined;
  const match = /optnn-submission-file:([^\s:()]+):(\d+):(\d+)/.exec(stack.slice(0, 20_000));
  return match ? `${match[1]}:${match[2]}:${match[3]}` : undefined;
}

export function describeThrown(thrown: unknown): string {
  const permission = thrown as { code?: unknown; permission?: unknown; resource?: unknown } | null;
  if (permission !== null && typeof permission === 'object' && permission.code === 'ERR_ACCESS_DENIED') {
    const what =
      permission.permission === 'FileSystemWrite'
        ? 'write'
        : permission.permission === 'FileSystemRead'
          ? 'read'
          : 'use';
    const resource = typeof permission.resource === 'string' ? ` (${permission.resource})` : '';
    return what === 'use'
      ? `tried something the grader does not allow: ${String(permission.permission ?? 'a restricted API')}${resource}`
      : `tried to ${what} a file outside the submission${resource}`;
  }
  if (thrown instanceof Error) {
    // The template's own "not implemented" says where to look already (SPEC.md's section).
    const at = thrown.message.startsWith('not implemented: ') ? undefined : submissionFrame(thrown);
    return `${thrown.name === 'Error' ? '' : `${thrown.name}: `}${thrown.message}${at ? ` (at ${at})` : ''}`;
  }
  if (typeof thrown === 'string') return `threw a string: ${JSON.stringify(thrown)}`;
  if (thrown === undefined) return 'threw undefined';
  try {
    return `threw ${JSON.stringify(thrown)}`;
  } catch {
    return `threw a value of type ${typeof thrown}`;
  }
}

let runId = 0;

function readAll(vars: Record<string, tf.Variable>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, Array.from(v.dataSync())]));
}

function construct(classes: OptimizerClasses, input: CaseInput): tf.Optimizer {
  const Optimizer = classes[input.optimizer] as unknown as new (...args: number[]) => tf.Optimizer;
  return new Optimizer(...input.args);
}

/** Runs `input` with the submission's optimizer (any object with the contract's classes). */
export function runOptimizerCase(classes: OptimizerClasses, input: CaseInput): Trajectory {
  const prefix = `case${runId++}`;
  const vars = Object.fromEntries(
    input.params.map((p) => [
      p.name,
      tf.tidy(() => tf.variable(tf.tensor(p.initial, p.shape, 'float32'), true, `${prefix}/${p.name}`)),
    ]),
  );
  const trajectory: Trajectory = { steps: [], tensorCounts: [] };
  let optimizer: tf.Optimizer | undefined;
  try {
    try {
      optimizer = construct(classes, input);
    } catch (thrown) {
      trajectory.fault = { step: 0, message: describeThrown(thrown) };
      return trajectory;
    }
    const stepCount = input.kind === 'teacher-forced' ? input.grads.length : input.steps;
    const step =
      input.kind === 'teacher-forced'
        ? teacherForcedStep(input, vars, optimizer)
        : closedLoopStep(input, vars, optimizer);
    for (let k = 0; k < stepCount; k++) {
      try {
        step(k);
      } catch (thrown) {
        trajectory.fault = { step: k + 1, message: describeThrown(thrown) };
        return trajectory;
      }
      trajectory.steps.push(readAll(vars));
      trajectory.tensorCounts.push(tensorCount());
    }
    return trajectory;
  } finally {
    try {
      optimizer?.dispose();
    } catch {
      /* a student's dispose may throw; the variables still go */
    }
    tf.dispose(Object.values(vars));
  }
}

function teacherForcedStep(
  input: TeacherForcedInput,
  vars: Record<string, tf.Variable>,
  optimizer: tf.Optimizer,
): (k: number) => void {
  return (k) => {
    const grads: tf.NamedTensorMap = {};
    for (const p of input.params) {
      const g = input.grads[k]![p.name];
      if (g !== null && g !== undefined) grads[vars[p.name]!.name] = tf.tensor(g, p.shape, 'float32');
    }
    try {
      optimizer.applyGradients(grads);
    } finally {
      tf.dispose(Object.values(grads));
    }
  };
}

function closedLoopStep(
  input: ClosedLoopInput,
  vars: Record<string, tf.Variable>,
  optimizer: tf.Optimizer,
): (k: number) => void {
  const [kernel, bias] = input.params.map((p) => vars[p.name]!) as [tf.Variable, tf.Variable];
  return () => {
    const x = tf.tensor2d(input.images, [input.labels.length, input.features]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(input.labels, 'int32'), 10));
    try {
      optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(x, kernel), bias)) as tf.Scalar,
        false,
        [kernel, bias],
      );
    } finally {
      tf.dispose([x, y]);
    }
  };
}
