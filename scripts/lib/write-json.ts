/** Writes files atomically (a temporary file in the same directory, then rename): never half a file. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeTextAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}

/** Indented JSON with arrays of numbers on one line each: readable and diff-friendly. */
export function formatFixture(value: unknown): string {
  const text = JSON.stringify(value, null, 1);
  return `${text.replace(/\[\s*((?:-?[\d.e+-]+|null)(?:,\s*(?:-?[\d.e+-]+|null))*)\s*\]/g, (_, body: string) => `[${body.replace(/\s+/g, '')}]`)}\n`;
}
