/**
 * Harness faults are exceptions with a machine-readable code and a message that tells the user
 * what to do. A student's mistake is never one of these: it is data (a failed check).
 */
export type HarnessErrorCode =
  | 'OPTNN_BAD_OPTION'
  | 'OPTNN_UNKNOWN_BACKEND'
  | 'OPTNN_BACKEND_UNAVAILABLE'
  | 'OPTNN_DATA_MISSING'
  | 'OPTNN_DATA_MALFORMED'
  | 'OPTNN_SCHEMA'
  | 'OPTNN_NOT_IMPLEMENTED';

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
  }
}

/** Describes a received value for an error message: `-1 (number)`, `"x" (string)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (${typeof value})`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}
