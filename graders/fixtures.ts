/**
 * Loading optimizer fixtures: each file is validated against its schema and checked for
 * consistency (every step has every parameter, sizes fit the shapes). A bad fixture is a harness
 * fault naming the file and the field, never a student's failure.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { FixtureFile, type OptimizerCase } from '../contract/fixture-schema.js';
import type { Probe } from '../runner/optimizer-probes.js';
import { decode, LoopResultSchema, StepResult } from '../runner/protocol.js';
import type { LoopProbe, StepProbe } from '../runner/training-probes.js';
import { problemsWith } from '../contract/validate.js';
import { HarnessError } from '../course/errors.js';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function consistencyProblems(file: FixtureFile): string[] {
  const problems: string[] = [];
  file.cases.forEach((c, i) => {
    const at = `/cases/${i}`;
    const steps = c.input.kind === 'teacher-forced' ? c.input.grads.length : c.input.steps;
    if (c.expected.length !== steps)
      problems.push(`${at}/expected: has ${c.expected.length} steps, the input has ${steps}`);
    for (const p of c.input.params) {
      if (p.initial.length !== size(p.shape))
        problems.push(
          `${at}/input/params/${p.name}/initial: has ${p.initial.length} values, shape [${p.shape.join(', ')}] needs ${size(p.shape)}`,
        );
      c.expected.forEach((step, k) => {
        const v = step[p.name];
        if (v === undefined) problems.push(`${at}/expected/${k}: lacks parameter '${p.name}'`);
        else if (v.length !== size(p.shape))
          problems.push(`${at}/expected/${k}/${p.name}: has ${v.length} values, expected ${size(p.shape)}`);
      });
      if (c.input.kind === 'teacher-forced') {
        c.input.grads.forEach((g, k) => {
          const v = g[p.name];
          if (v === undefined)
            problems.push(`${at}/input/grads/${k}: lacks parameter '${p.name}' (use null for no gradient)`);
          else if (v !== null && v.length !== size(p.shape))
            problems.push(
              `${at}/input/grads/${k}/${p.name}: has ${v.length} values, expected ${size(p.shape)}`,
            );
        });
      }
    }
    if (
      c.input.kind === 'closed-loop' &&
      c.input.images.length !== c.input.labels.length * c.input.features
    ) {
      problems.push(
        `${at}/input/images: has ${c.input.images.length} values, ${c.input.labels.length} labels × ${c.input.features} features need ${c.input.labels.length * c.input.features}`,
      );
    }
  });
  return problems;
}

export function parseFixtureFile(text: string, path: string): FixtureFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HarnessError('OPTNN_FIXTURE', `Fixture ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const problems = problemsWith(FixtureFile, value);
  const all = problems.length > 0 ? problems : consistencyProblems(value as FixtureFile);
  if (all.length > 0)
    throw new HarnessError('OPTNN_FIXTURE', `Fixture ${path} is malformed:\n  ${all.join('\n  ')}`);
  return value as FixtureFile;
}

export function loadFixtureFile(path: string): FixtureFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HarnessError('OPTNN_FIXTURE', `Cannot read fixture ${path}: ${(error as Error).message}`);
  }
  return parseFixtureFile(text, path);
}

/** A case with the file it came from and that file's visibility. */
export type LoadedCase = OptimizerCase & { file: string; visibility: FixtureFile['visibility'] };

/** Every case of every `*.json` fixture in `dir`, with the file it came from. */
export function loadFixtureDir(dir: string): LoadedCase[] {
  if (!existsSync(dir))
    throw new HarnessError(
      'OPTNN_FIXTURE',
      `The fixtures directory ${dir} does not exist (run \`npm run fixtures\`)`,
    );
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0)
    throw new HarnessError('OPTNN_FIXTURE', `The fixtures directory ${dir} holds no .json fixture`);
  return files.flatMap((f) => {
    const path = join(dir, f);
    const file = loadFixtureFile(path);
    return file.cases.map((c) => ({ ...c, file: path, visibility: file.visibility }));
  });
}

/**
 * The reference's observations for the training step and loop checks (the same probes run on the
 * reference by `npm run fixtures`), so grading needs no reference code: `<fixtures>/training/expected.json`.
 */
export const TrainingExpectations = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    generatedBy: Type.String(),
    backend: Type.String(),
    step: StepResult,
    loop: LoopResultSchema,
  },
  { additionalProperties: false },
);

export const TRAINING_EXPECTATIONS = join('training', 'expected.json');

export function loadTrainingExpectations(dir: string): { step: StepProbe; loop: LoopProbe } {
  const path = join(dir, TRAINING_EXPECTATIONS);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HarnessError(
      'OPTNN_FIXTURE',
      `Cannot read the training expectations ${path} (run \`npm run fixtures\`): ${(error as Error).message}`,
    );
  }
  const problems = problemsWith(TrainingExpectations, value);
  if (problems.length > 0)
    throw new HarnessError('OPTNN_FIXTURE', `Fixture ${path} is malformed:\n  ${problems.join('\n  ')}`);
  const decoded = decode<{ step: Probe<{ value: StepProbe }>; loop: Probe<{ value: LoopProbe }> }>(value);
  if (!decoded.step.ok || !decoded.loop.ok)
    throw new HarnessError('OPTNN_FIXTURE', `Fixture ${path} records a failed reference run`);
  return { step: decoded.step.value, loop: decoded.loop.value };
}
