/**
 * Validation at a boundary: ajv checks a value against a TypeBox schema (the schema and the type
 * come from one source) and a failure names the field, what was expected and what came.
 *
 * Compiling a schema is ajv generating and compiling its validator's code: about 0.4 s for the
 * schemas one grading uses, in every grading process. The generated code (ajv's standalone code,
 * the same validator) is kept in `.work/validators/` under a hash of ajv's version, the options and
 * the schema, and a later process loads it from there; anything amiss with that file (absent,
 * unreadable, not a validator) and the schema is compiled as before. The directory is inside the
 * project, where no submission's process may read or write.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Static, TSchema } from '@sinclair/typebox';
import { _, Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { HarnessError, describeValue } from '../course/errors.js';

const OPTIONS = { allErrors: true, strict: true } as const;
const requireHere = createRequire(import.meta.url);
const AJV_VERSION = (requireHere('ajv/package.json') as { version: string }).version;
export const VALIDATORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.work', 'validators');

let instance: Ajv | undefined;
/** The ajv instance, made at the first schema that is not in the cache. */
function ajv(): Ajv {
  if (instance === undefined) {
    // Standalone code names the format functions by a require of ajv-formats.
    instance = new Ajv({
      ...OPTIONS,
      code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
    });
    // ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
    (addFormatsPlugin as unknown as (ajv: Ajv) => Ajv)(instance);
  }
  return instance;
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/** The cache file of `schema`'s validator. */
export function validatorFile(schema: TSchema): string {
  const key = createHash('sha256')
    .update(JSON.stringify([AJV_VERSION, OPTIONS, schema]))
    .digest('hex');
  return join(VALIDATORS_DIR, `${key}.cjs`);
}

function loadCached(file: string): ValidateFunction | undefined {
  try {
    const validate: unknown = requireHere(file);
    return typeof validate === 'function' ? (validate as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the validator's code where loadCached finds it (atomically; a failure only costs the next process a compile). */
function keep(file: string, validate: ValidateFunction): void {
  try {
    const { default: standaloneCode } = requireHere('ajv/dist/standalone') as {
      default: (ajv: Ajv, validate: ValidateFunction) => string;
    };
    const code = standaloneCode(ajv(), validate);
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}-${randomUUID()}`;
    writeFileSync(temporary, code, { mode: 0o644 });
    renameSync(temporary, file);
  } catch {
    /* not kept: the next process compiles it again */
  }
}

function compile(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    const file = validatorFile(schema);
    validate = loadCached(file);
    if (validate === undefined) {
      validate = ajv().compile(schema);
      keep(file, validate);
    }
    compiled.set(schema, validate);
  }
  return validate;
}

function valueAt(root: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => {
      if (node !== null && typeof node === 'object')
        return (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')];
      return undefined;
    }, root);
}

/** One line per problem: `/runs/0/losses/3: must be number, got "x" (string)`. */
export function describeErrors(errors: ErrorObject[], value: unknown): string[] {
  return errors.slice(0, 10).map((e) => {
    const field = e.instancePath === '' ? '(the whole value)' : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties' ? ` \`${String(e.params['additionalProperty'])}\`` : '';
    const got = e.keyword === 'required' ? '' : `, got ${describeValue(valueAt(value, e.instancePath))}`;
    return `${field}: ${e.message ?? 'is invalid'}${extra}${got}`;
  });
}

/** Returns the problems with `value`, or an empty list when it fits `schema`. */
export function problemsWith(schema: TSchema, value: unknown): string[] {
  const validate = compile(schema);
  return validate(value) ? [] : describeErrors(validate.errors ?? [], value);
}

/** Throws a HarnessError naming `what` (a file, a message) and every problem, or returns the value typed. */
export function validateOrThrow<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  const problems = problemsWith(schema, value);
  if (problems.length > 0) {
    throw new HarnessError('OPTNN_SCHEMA', `${what} does not match its schema:\n  ${problems.join('\n  ')}`);
  }
  return value as Static<T>;
}
