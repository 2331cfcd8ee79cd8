/**
 * Hidden fixtures for a test, made as a TA makes them (`npm run fixtures -- --hidden --seed S
 * --out DIR`, in a real child process); a failure throws with the command's output.
 */
import { join } from 'node:path';
import { execa } from 'execa';

const root = join(import.meta.dirname, '..', '..');

export async function makeHiddenFixtures(out: string, seed: number): Promise<void> {
  const made = await execa(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'scripts', 'make-fixtures.ts'),
      '--hidden',
      '--seed',
      String(seed),
      '--out',
      out,
    ],
    { cwd: root, reject: false, all: true, env: { OPTNN_PROGRESS: '0' } },
  );
  if (made.exitCode !== 0) throw new Error(`making hidden fixtures (seed ${seed}) failed:\n${made.all}`);
}
