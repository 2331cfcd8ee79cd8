/**
 * Harness faults are exceptions with a machine-readable code and a message that tells the user
 * what to do. A student's mistake is never one of these: it is data (a failed check).
 */
export type HarnessErrorCode =
  | 'OPTNN_BAD_OPTION'
  | 'OPTNN_UNKNOWN_BACKEND'
  | 'OPTNN_BACKEND_UNAVAILABLE'
  | 'OPTNN_WEBGPU_SYNC_READ'
  | 'OPTNN_DATA_MISSING'
  | 'OPTNN_DATA_MALFORMED'
  | 'OPTNN_SCHEMA'
  | 'OPTNN_FIXTURE'
  | 'OPTNN_REFERENCE'
  | 'OPTNN_NOT_IMPLEMENTED'
  | 'OPTNN_SANDBOX'
  | 'OPTNN_EXPERIMENT_JOB';

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
  }
}

/**
 * Describes a received value for an error message: `` `-1` (number) ``, `` `"x"` (string) ``,
 * `` `undefined` ``, `an array of length 3`, `an object`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return `\`${String(value)}\``;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  // A long string (a packed tensor, a pasted file) is shown by its start and its length.
  if (typeof value === 'string' && text.length > 120)
    return `\`${text.slice(0, 100)}…\` (a string of ${(value as string).length} characters)`;
  return `\`${text}\` (${typeof value})`;
}

/**
 * ``Expected the `name` option to be <expected>, got <got>`` (or "argument", for a positional one);
 * `got` is already described, e.g. by `describeValue`.
 */
export function badOption(
  name: string,
  expected: string,
  got: string,
  kind: 'option' | 'argument' = 'option',
): HarnessError {
  return new HarnessError(
    'OPTNN_BAD_OPTION',
    `Expected the \`${name}\` ${kind} to be ${expected}, got ${got}`,
  );
}
