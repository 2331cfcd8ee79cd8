/** The error every unfinished part of the student template throws. */
export class NotImplementedError extends Error {
  readonly code = 'OPTNN_NOT_IMPLEMENTED';

  constructor(
    readonly part: string,
    readonly section: string,
  ) {
    super(`not implemented: ${part} — see SPEC.md section "${section}"`);
    this.name = 'NotImplementedError';
  }
}

export function notImplemented(part: string, section: string): never {
  throw new NotImplementedError(part, section);
}
