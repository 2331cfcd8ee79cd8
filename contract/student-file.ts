/**
 * Reading a file of the submission in the grading process (which may run as root): the file is
 * opened without following a symlink (O_NOFOLLOW) and without blocking (O_NONBLOCK, so a FIFO or
 * device cannot hang the open), must be a regular file with one link, is read up to a size cap,
 * and its JSON is parsed with a depth cap and without prototype keys (`__proto__`, `constructor`,
 * `prototype`). A refusal says what rule was broken and never quotes the file's contents.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface StudentFileLimits {
  /** Largest size read, bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
}

export const STUDENT_JSON_LIMITS: StudentFileLimits = { maxBytes: 64 * 1024, maxDepth: 16 };

export type StudentRead<T> =
  { ok: true; value: T } | { ok: false; reason: 'missing' | 'refused' | 'invalid'; message: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The text of `<dir>/<name>`, read with the rules above. */
export function readStudentText(
  dir: string,
  name: string,
  limits: StudentFileLimits = STUDENT_JSON_LIMITS,
): StudentRead<string> {
  let fd: number;
  try {
    fd = openSync(
      join(dir, name),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'missing', message: `${name} is missing` };
    if (code === 'ELOOP' || code === 'EMLINK')
      return {
        ok: false,
        reason: 'refused',
        message: `${name} is a symbolic link; the grader reads only regular files of the submission`,
      };
    return {
      ok: false,
      reason: 'refused',
      message: `${name} could not be opened (${code ?? 'unknown error'})`,
    };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      return {
        ok: false,
        reason: 'refused',
        message: `${name} is not a regular file (a directory, device, FIFO or socket); the grader reads only regular files`,
      };
    if (stat.nlink > 1)
      return {
        ok: false,
        reason: 'refused',
        message: `${name} is a hard link (${stat.nlink} names for one file); the grader reads only files with one name`,
      };
    if (stat.size > limits.maxBytes)
      return {
        ok: false,
        reason: 'refused',
        message: `${name} is ${stat.size} bytes, over the limit of ${limits.maxBytes}`,
      };
    const buffer = Buffer.alloc(limits.maxBytes + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length;) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
    }
    if (length > limits.maxBytes)
      return {
        ok: false,
        reason: 'refused',
        message: `${name} is over the limit of ${limits.maxBytes} bytes`,
      };
    return { ok: true, value: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return {
      ok: false,
      reason: 'refused',
      message: `${name} could not be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    };
  } finally {
    closeSync(fd);
  }
}

/** How deep arrays and objects nest in JSON text (outside strings); stops counting past `limit`. */
function nesting(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

/** JSON text parsed with a depth cap and without prototype keys; an error says where, never what. */
export function parseStudentJson(
  name: string,
  text: string,
  limits: StudentFileLimits = STUDENT_JSON_LIMITS,
): StudentRead<unknown> {
  if (nesting(text, limits.maxDepth) > limits.maxDepth) {
    return {
      ok: false,
      reason: 'invalid',
      message: `${name} nests arrays or objects deeper than ${limits.maxDepth} levels`,
    };
  }
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return v;
    });
  } catch (error) {
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    return {
      ok: false,
      reason: 'invalid',
      message: `${name} is not valid JSON${at === undefined ? '' : ` (at character ${at})`}`,
    };
  }
  if (forbidden !== undefined)
    return {
      ok: false,
      reason: 'invalid',
      message: `${name} uses the key \`${forbidden}\`, which the grader refuses`,
    };
  return { ok: true, value };
}

/** `<dir>/<name>` read and parsed as JSON with the rules above. */
export function readStudentJson(
  dir: string,
  name: string,
  limits: StudentFileLimits = STUDENT_JSON_LIMITS,
): StudentRead<unknown> {
  const text = readStudentText(dir, name, limits);
  return text.ok ? parseStudentJson(name, text.value, limits) : text;
}
