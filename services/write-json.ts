/** Writes files atomically (a temporary file in the same directory, then rename): never half a file. */
import { writeTextAtomic } from '../course/atomic-write.js';

export { writeTextAtomic };

export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}

/** Indented JSON with arrays of numbers on one line each: readable and diff-friendly. */
export function formatFixture(value: unknown): string {
  const text = JSON.stringify(value, null, 1);
  return `${text.replace(/\[\s*((?:-?[\d.e+-]+|null)(?:,\s*(?:-?[\d.e+-]+|null))*)\s*\]/g, (_, body: string) => `[${body.replace(/\s+/g, '')}]`)}\n`;
}
