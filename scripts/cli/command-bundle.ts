/**
 * A command as one prebuilt bundle, run with plain node by scripts/run.mjs. Under tsx, each of the
 * grader's hundred-odd modules goes through tsx's loader hooks, and Node lexes every CommonJS
 * package an ES module imports (all of tfjs) for its export names: together over a second before
 * the grading starts, in every grading and every batch worker. The bundle has neither cost.
 *
 * It is the same code: esbuild compiles the project's own files, and the packages stay external
 * (CommonJS ones load with require, runner/build.ts). Two things keep the behaviour identical:
 * - `import.meta.url`, `.dirname` and `.filename` are written into each file as that file's own
 *   location, so paths computed from them (the project root, the manifest, the fixtures) are the
 *   ones the sources compute;
 * - graders/optional-modules.ts is replaced by a module that imports by literal path those of the
 *   TA-only modules this copy has (the reference, the known mistakes), so they are bundled with it,
 *   and a copy without them bundles none.
 *
 * The bundle is written under .work/commands/, inside the project and outside node_modules: the
 * submission's processes may read node_modules, and in the TA's copy the bundle holds the
 * reference. A manifest beside it lists the files it was made from with a hash of their contents,
 * and the optional modules this copy lacks; scripts/run.mjs rebuilds when either changed.
 */
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { OPTIONAL_MODULES, type OptionalModule } from '../../graders/optional-modules.js';
import { loadWithRequire, PROJECT_ROOT } from '../../runner/build.js';
import { courseTfjs } from '../../runner/course-tfjs.js';
// The launcher's commands, places and hash, so that what is written here is what it checks.
import { BUNDLES, COMMANDS_DIR, inputsKey, manifestPath } from './bundle-launch.mjs';

export { COMMANDS_DIR, manifestPath };

export interface CommandManifest {
  schemaVersion: 1;
  command: string;
  /** The bundle's entry (absolute). */
  entry: string;
  /** Every project file the bundle was made from (absolute), sorted. */
  inputs: string[];
  /** The optional modules' files this copy lacks (absolute): one appearing makes the bundle stale. */
  absent: string[];
  /** sha256 over the inputs' paths and contents (inputsKey, scripts/cli/bundle-launch.mjs). */
  key: string;
}

const OPTIONAL_SOURCE = join(PROJECT_ROOT, 'graders', 'optional-modules.ts');

/** Where an optional module's source would be: its .js path as a .ts file. */
const optionalFile = (name: OptionalModule): string =>
  resolve(dirname(OPTIONAL_SOURCE), OPTIONAL_MODULES[name]).replace(/\.js$/, '.ts');

/** graders/optional-modules.ts with literal imports of the modules present. */
function optionalModules(): Plugin {
  return {
    name: 'optnn-optional-modules',
    setup(b) {
      b.onLoad({ filter: /optional-modules\.ts$/ }, (args) => {
        if (resolve(args.path) !== OPTIONAL_SOURCE) return undefined;
        const names = Object.keys(OPTIONAL_MODULES) as OptionalModule[];
        const cases = names.map((name) =>
          existsSync(optionalFile(name))
            ? `    case ${JSON.stringify(name)}: return import(${JSON.stringify(optionalFile(name))});`
            : `    case ${JSON.stringify(name)}: return Promise.reject(new Error(${JSON.stringify(`this copy has no ${OPTIONAL_MODULES[name]}`)}));`,
        );
        return {
          contents: [
            `export const OPTIONAL_MODULES = ${JSON.stringify(OPTIONAL_MODULES)};`,
            'export function importOptional(name) {',
            '  switch (name) {',
            ...cases,
            '  }',
            '  return Promise.reject(new Error(`no optional module ${name}`));',
            '}',
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

/** Each project file's `import.meta.url`, `.dirname` and `.filename` as its own location. */
function ownLocations(): Plugin {
  return {
    name: 'optnn-own-locations',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        const path = resolve(args.path);
        if (path.split(sep).includes('node_modules') || path === OPTIONAL_SOURCE) return undefined;
        const values: Record<string, string> = {
          url: pathToFileURL(path).href,
          dirname: dirname(path),
          filename: path,
        };
        const contents = readFileSync(path, 'utf8').replace(
          /\bimport\.meta\.(url|dirname|filename)\b/g,
          (_, key: string) => JSON.stringify(values[key]),
        );
        return { contents, loader: 'ts' };
      });
    },
  };
}

const projectRequire = createRequire(join(PROJECT_ROOT, 'package.json'));
const commonJs = new Map<string, boolean>();

/** Whether the package `spec` names (a bare name, no subpath) loads as CommonJS. */
export function isCommonJsPackage(spec: string): boolean {
  if (spec.startsWith('node:') || spec.startsWith('.') || spec.startsWith('#') || spec.startsWith('/'))
    return false;
  let known = commonJs.get(spec);
  if (known === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(projectRequire.resolve(`${spec}/package.json`), 'utf8')) as {
        type?: string;
        exports?: unknown;
        name?: string;
      };
      // A bare name only (not `pkg/sub`), no ES build chosen by "exports", not "type": "module".
      known =
        pkg.name === spec && pkg.type !== 'module' && !JSON.stringify(pkg.exports ?? {}).includes('"import"');
    } catch {
      known = false;
    }
    commonJs.set(spec, known);
  }
  return known;
}

/** Every package stays external (CommonJS ones load with require); project files are bundled. */
function externalPackages(): Plugin {
  return {
    name: 'optnn-external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./#]/ }, (args) =>
        args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
      );
    },
  };
}

/** Builds `command`'s bundle and its manifest (atomically: a concurrent run sees the old or the new). */
export async function bundleCommand(command: string): Promise<CommandManifest> {
  const source = BUNDLES[command];
  if (source === undefined)
    throw new Error(`bundleCommand: no bundle ${command} (known: ${Object.keys(BUNDLES).join(', ')})`);
  mkdirSync(COMMANDS_DIR, { recursive: true });
  const staging = join(COMMANDS_DIR, `.${command}-${process.pid}-${randomUUID()}`);
  try {
    const result = await build({
      entryPoints: { [command]: join(PROJECT_ROOT, source) },
      absWorkingDir: PROJECT_ROOT,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
      metafile: true,
      plugins: [
        courseTfjs(PROJECT_ROOT),
        loadWithRequire(isCommonJsPackage, COMMANDS_DIR),
        externalPackages(),
        optionalModules(),
        ownLocations(),
      ],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .filter((p) => !p.includes(':'))
      .map((p) => resolve(PROJECT_ROOT, p))
      .sort();
    const absent = (Object.keys(OPTIONAL_MODULES) as OptionalModule[])
      .map(optionalFile)
      .filter((f) => !existsSync(f));
    const key = inputsKey(inputs);
    const dir = join(COMMANDS_DIR, `${command}-${key.slice(0, 16)}`);
    // Content-addressed: a concurrent run that made the same bundle first leaves it in place.
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(join(dir, `${command}.mjs`))) throw error;
    }
    const manifest: CommandManifest = {
      schemaVersion: 1,
      command,
      entry: join(dir, `${command}.mjs`),
      inputs,
      absent,
      key,
    };
    const temporary = `${manifestPath(command)}.${process.pid}-${randomUUID()}`;
    writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(temporary, manifestPath(command));
    pruneOld(command, dir);
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Removes bundles of `command` other than `keep` that nobody has written for an hour. */
function pruneOld(command: string, keep: string): void {
  for (const name of readdirSync(COMMANDS_DIR)) {
    const path = join(COMMANDS_DIR, name);
    if (path === keep || !(name.startsWith(`${command}-`) || name.startsWith(`.${command}-`))) continue;
    if (name.endsWith('.json')) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      /* another run removed it */
    }
  }
}
