/**
 * The parts of the public grading, one vitest file each (`parts/<part>.test.ts`, so that
 * `npx vitest run adam` runs Adam's tests): each optimizer, nets, data, training, tuning, in the
 * manifest's order. Light on purpose: vitest's main process loads it to order the files, so it reads
 * the manifest as plain JSON and imports nothing of the grader (the grading validates it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part a manifest test belongs to: the optimizer's name, or the id before the first dot. */
export function partOf(id: string): string {
  const [head, second] = id.split('.');
  return head === 'optimizer' && second !== undefined ? second : head!;
}

/** The file of a part's tests, relative to scripts/student-suite/. */
export const partFile = (part: string): string => `parts/${part.toLowerCase()}.test.ts`;

/** The public parts, in the manifest's order (a check that reads another's verdict comes after it). */
export function publicParts(): string[] {
  const manifest = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'graders', 'manifest.json'), 'utf8'),
  ) as { tests: Array<{ id: string; requires?: string }> };
  return [...new Set(manifest.tests.filter((t) => t.requires === undefined).map((t) => partOf(t.id)))];
}
