/**
 * Compiles a submission in the trusted grading process (esbuild runs no code) into a bundle the
 * child runs as plain JavaScript. Imports are confined: a submission file may import only files
 * inside the submission directory (after following symlinks), the course helpers (`#course/*`,
 * `#contract/*`), and an allow-list of packages; anything else fails the build with a message
 * naming the import, so no hidden file is ever inlined.
 */
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages a submission may import; they stay external and load from node_modules at run time. */
export const ALLOWED_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
];

export class BuildRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildRefused';
  }
}

const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + sep);

function resolveFile(base: string): string | undefined {
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    `${base}.js`,
    join(base, 'index.ts'),
    join(base, 'index.js'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function confine(submissionDir: string): Plugin {
  const root = realpathSync(submissionDir);
  const harness = [
    join(PROJECT_ROOT, 'course'),
    join(PROJECT_ROOT, 'contract'),
    join(PROJECT_ROOT, 'runner'),
  ];
  return {
    name: 'optnn-confine',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path === 'optnn-submission') {
          const entry = resolveFile(join(root, 'index.ts'));
          if (entry === undefined)
            throw new BuildRefused(`the submission has no index.ts (looked in ${root})`);
          return { path: realpathSync(entry) };
        }
        const fromSubmission = within(realpathSync(args.importer), root);
        const spec = args.path;
        if (spec.startsWith('node:')) return { path: spec, external: true };
        if (ALLOWED_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`)))
          return { path: spec, external: true };
        const course = /^#(course|contract)\/(.+)$/.exec(spec);
        if (course) {
          const base = join(PROJECT_ROOT, course[1]!);
          const file = resolveFile(join(base, course[2]!));
          if (file === undefined)
            throw new BuildRefused(
              `${relative(root, args.importer)} imports ${spec}, which the course does not provide`,
            );
          const real = realpathSync(file);
          if (!within(real, realpathSync(base)))
            throw new BuildRefused(
              `${relative(root, args.importer)} tried to import ${spec}, a file outside the course helpers (${real})`,
            );
          return { path: real };
        }
        if (!spec.startsWith('.') && !isAbsolute(spec)) {
          if (fromSubmission)
            throw new BuildRefused(
              `${relative(root, args.importer)} imports the package '${spec}', which is not allowed (allowed: ${ALLOWED_PACKAGES.join(', ')}, and node: built-ins)`,
            );
          // The harness's own packages load from node_modules at run time.
          return { path: spec, external: true };
        }
        const file = resolveFile(resolve(dirname(args.importer), spec));
        if (file === undefined) {
          if (fromSubmission)
            throw new BuildRefused(
              `${relative(root, args.importer)} imports ${spec}, which does not exist in the submission`,
            );
          return undefined;
        }
        const real = realpathSync(file);
        if (fromSubmission && !within(real, root)) {
          throw new BuildRefused(
            `${relative(root, args.importer)} tried to import ${spec}, a file outside the submission (${real})`,
          );
        }
        if (!fromSubmission && !harness.some((h) => within(real, h))) {
          throw new BuildRefused(`the harness imported ${real}, outside course/, contract/ and runner/`);
        }
        return { path: real };
      });
      b.onLoad({ filter: /\.json$/ }, (args) => {
        if (!harness.some((h) => within(args.path, h)) && !within(args.path, root)) {
          throw new BuildRefused(`refusing to inline ${args.path}`);
        }
        return undefined;
      });
    },
  };
}

/**
 * The allowed packages are CommonJS. Imported from an ES module, Node lexes each of them, and every
 * module they re-export (all of tfjs), to find their export names: about 0.4 s of CPU in every
 * process. This plugin (before any other) loads the packages `byRequire` names with `require`
 * instead: an import of such a package by its name resolves to a small CommonJS module that
 * requires it (esbuild gives the importer the namespace an ES import would: every export, and the
 * whole as the default), with a require function from `node:module` made for `location` (the
 * bundle's directory: packages resolve from there as its imports would). Deep imports
 * (`pkg/dist/…`) stay ES imports.
 */
export function loadWithRequire(byRequire: (spec: string) => boolean, location: string): Plugin {
  const required = 'optnn-required';
  const requireFunction = 'optnn-require-function';
  return {
    name: 'optnn-load-with-require',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === required || args.namespace === requireFunction) {
          return args.path === requireFunction
            ? { path: requireFunction, namespace: requireFunction }
            : { path: args.path, external: true };
        }
        if ((args.kind === 'import-statement' || args.kind === 'dynamic-import') && byRequire(args.path))
          return { path: args.path, namespace: required };
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: required }, (args) => ({
        contents: `const { load } = require(${JSON.stringify(requireFunction)});\nmodule.exports = load(${JSON.stringify(args.path)});\n`,
        loader: 'js',
      }));
      b.onLoad({ filter: /.*/, namespace: requireFunction }, () => ({
        contents: `import { createRequire } from 'node:module';\nexport const load = createRequire(${JSON.stringify(pathToFileURL(join(location, 'index.mjs')).href)});\n`,
        loader: 'js',
      }));
    },
  };
}

export interface BuildResult {
  dir: string;
  entry: string;
}

function bundleOptions(submissionDir: string, outDir: string): BuildOptions {
  return {
    entryPoints: { child: join(PROJECT_ROOT, 'runner', 'child.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
    write: true,
    plugins: [loadWithRequire((spec) => ALLOWED_PACKAGES.includes(spec), outDir), confine(submissionDir)],
  };
}

/**
 * The files the build of a submission reads (esbuild's metafile, nothing written), as absolute real
 * paths: what a cache key must cover. Throws as `buildSubmission` does when the build fails.
 */
export async function buildInputs(submissionDir: string): Promise<string[]> {
  const result = await build({
    ...bundleOptions(submissionDir, join(PROJECT_ROOT, '.work', 'inputs')),
    write: false,
    metafile: true,
  });
  return Object.keys(result.metafile.inputs)
    .map((p) => resolve(p))
    .sort();
}

/** Bundles runner/child.ts with the submission into `outDir` (inside the project, so node_modules resolve). */
export async function buildSubmission(submissionDir: string, outDir: string): Promise<BuildResult> {
  mkdirSync(outDir, { recursive: true });
  try {
    await build(bundleOptions(submissionDir, outDir));
  } catch (error) {
    const errors = (
      error as {
        errors?: Array<{ text: string; location?: { file: string; line: number } | null; detail?: unknown }>;
      }
    ).errors;
    if (errors && errors.length > 0) {
      const refused = errors.map((e) => e.detail).find((d): d is BuildRefused => d instanceof BuildRefused);
      if (refused) throw refused;
      const lines = errors
        .slice(0, 5)
        .map(
          (e) =>
            `${e.location ? `${relative(submissionDir, e.location.file)}:${e.location.line}: ` : ''}${e.text}`,
        );
      throw new BuildRefused(`the submission does not compile:\n  ${lines.join('\n  ')}`);
    }
    throw error;
  }
  const entry = join(outDir, 'child.mjs');
  if (extname(entry) !== '.mjs' || !existsSync(entry)) throw new Error(`esbuild wrote no ${entry}`);
  return { dir: outDir, entry };
}
