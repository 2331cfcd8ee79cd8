/**
 * Validation at a boundary: ajv checks a value against a TypeBox schema (the schema and the type
 * come from one source) and a failure names the field, what was expected and what came.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { HarnessError, describeValue } from '../course/errors.js';

const ajv = new Ajv({ allErrors: true, strict: true });
// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
addFormats(ajv);
const compiled = new WeakMap<TSchema, ValidateFunction>();

function compile(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
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
