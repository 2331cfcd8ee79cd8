/**
 * Finds a command's prebuilt bundle for scripts/run.mjs (scripts/cli/command-bundle.ts says why
 * and how it is made). Plain JavaScript, so that it needs no compiler: it checks the bundle's
 * manifest (the hash of the files it was made from, and the optional modules this copy lacks);
 * only when that is stale does it load tsx and build a new one, which takes a second or two.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What is run from a bundle, and its source (scripts/cli/command-bundle.ts builds them). */
export const BUNDLES = {
  grade: 'scripts/grade.ts',
  // The student suite's grading session, which each part's test file imports (graded-part.ts).
  'student-suite': 'scripts/student-suite/session.ts',
};

/** The commands scripts/run.mjs runs. */
export const COMMANDS = { grade: BUNDLES.grade };

/** Where the bundles and their manifests are. */
export const COMMANDS_DIR = join(ROOT, '.work', 'commands');

/** The manifest of `command`'s bundle. */
export const manifestPath = (command) => join(COMMANDS_DIR, `${command}.json`);

/** sha256 over each input's path and contents (a missing file counts as such): a manifest's key, written by command-bundle.ts. */
export function inputsKey(inputs) {
  const hash = createHash('sha256');
  for (const path of inputs) {
    hash.update(`${path}\0`);
    hash.update(existsSync(path) ? readFileSync(path) : '\0missing\0');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The manifest of `command`'s bundle when the bundle is current, else undefined. */
export function currentManifest(command) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath(command), 'utf8'));
  } catch {
    return undefined;
  }
  const current =
    manifest !== null &&
    typeof manifest === 'object' &&
    manifest.schemaVersion === 1 &&
    manifest.command === command &&
    Array.isArray(manifest.inputs) &&
    Array.isArray(manifest.absent) &&
    typeof manifest.entry === 'string' &&
    existsSync(manifest.entry) &&
    manifest.absent.every((path) => !existsSync(path)) &&
    manifest.key === inputsKey(manifest.inputs);
  return current ? manifest : undefined;
}

/** The current bundle's entry for `command` (a key of BUNDLES), built first when needed. */
export async function bundleEntry(command) {
  const manifest = currentManifest(command);
  if (manifest !== undefined) return manifest.entry;
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  try {
    const { bundleCommand } = await import('./command-bundle.ts');
    return (await bundleCommand(command)).entry;
  } finally {
    await unregister();
  }
}
