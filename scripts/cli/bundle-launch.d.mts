/** Types of scripts/cli/bundle-launch.mjs (plain JavaScript, so that scripts/run.mjs needs no compiler). */

/** What is run from a bundle, and its source (paths from the project root). */
export const BUNDLES: Readonly<Record<string, string>>;

/** The commands scripts/run.mjs runs. */
export const COMMANDS: Readonly<Record<string, string>>;

/** Where the bundles and their manifests are. */
export const COMMANDS_DIR: string;

/** The manifest of `command`'s bundle. */
export function manifestPath(command: string): string;

/** sha256 over each input's path and contents (a missing file counts as such): a bundle manifest's key. */
export function inputsKey(inputs: readonly string[]): string;

/** The manifest of `command`'s bundle when the bundle is current, else undefined. */
export function currentManifest(
  command: string,
): { entry: string; inputs: string[]; absent: string[]; key: string } | undefined;

/** The current bundle's entry for `command`, built first when needed. */
export function bundleEntry(command: string): Promise<string>;
