/**
 * Compiles a submission in the trusted grading process (esbuild runs no code) into a bundle the
 * child runs as plain JavaScript. The build reads nothing of the submission but a snapshot read
 * beforehand with caps (`runner/submission-tree.ts`): its files live in a namespace of their own,
 * loaded from memory with a loader chosen by their extension (import attributes choose nothing), so
 * neither esbuild's own resolution nor a glob import nor a link can reach another file. A
 * submission file may import only files of the snapshot, the course helpers (`#course/*`,
 * `#contract/*`) and an allow-list of packages; anything else fails the build with a message naming
 * the import. The build has a deadline and a cap on what it writes.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { context, type BuildOptions, type Loader, type Plugin } from 'esbuild';
import {
  leadsOutside,
  readSubmissionTree,
  TREE_LIMITS,
  TreeRefused,
  type SubmissionTree,
} from './submission-tree.js';
import { courseTfjs, TFJS_PACKAGE } from './course-tfjs.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages a submission may import. `@tensorflow/tfjs` is the course's module (runner/course-tfjs.ts),
 * bundled in; the others stay external and load from node_modules at run time.
 */
export const ALLOWED_PACKAGES = [
  TFJS_PACKAGE,
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
];

/** How long a build may take, and how much it may write. */
export const BUILD_LIMITS = { deadlineMs: 30_000, maxOutputBytes: 64 * 1024 * 1024 };

export class BuildRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildRefused';
  }
}

/** The namespace of the submission's files: their paths are relative, with `/`. */
const SUBMISSION = 'optnn-submission-file';

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

/** The paths TypeScript would try for an import of `rel` (a relative path with `/`), in order. */
function candidatesFor(rel: string): string[] {
  return [
    rel,
    rel.replace(/\.js$/, '.ts'),
    rel.replace(/\.mjs$/, '.mts'),
    rel.replace(/\.cjs$/, '.cts'),
    `${rel}.ts`,
    `${rel}.js`,
    `${rel}/index.ts`,
    `${rel}/index.js`,
  ];
}

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.json': 'json',
};

function confine(tree: SubmissionTree): Plugin {
  const harness = [
    join(PROJECT_ROOT, 'course'),
    join(PROJECT_ROOT, 'contract'),
    join(PROJECT_ROOT, 'runner'),
  ];
  const childEntry = join(PROJECT_ROOT, 'runner', 'child.ts');
  return {
    name: 'optnn-confine',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') {
          if (args.path !== childEntry) throw new BuildRefused(`unexpected entry point ${args.path}`);
          return undefined;
        }
        if (args.path === 'optnn-submission' && args.namespace === 'file') {
          if (tree.files.has('index.ts')) return { path: 'index.ts', namespace: SUBMISSION };
          if (leadsOutside(tree, 'index.ts'))
            throw new BuildRefused(
              "index.ts is a symbolic link to a file outside the submission (or not a regular file); the grader builds only the submission's own files",
            );
          throw new BuildRefused('the submission has no index.ts');
        }
        const fromSubmission = args.namespace === SUBMISSION;
        const importer = fromSubmission ? args.importer : relative(PROJECT_ROOT, args.importer);
        const spec = args.path;
        if (spec.startsWith('node:')) return { path: spec, external: true };
        if (spec.startsWith(`${TFJS_PACKAGE}/`))
          throw new BuildRefused(
            `${importer} imports ${spec}; the course's ${TFJS_PACKAGE} is one module with no files to import from: import '${TFJS_PACKAGE}' itself, or a file of the package that has it (@tensorflow/tfjs-core/…)`,
          );
        if (ALLOWED_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`)))
          return { path: spec, external: true };
        const course = /^#(course|contract)\/(.+)$/.exec(spec);
        if (course) {
          const base = join(PROJECT_ROOT, course[1]!);
          const file = resolveFile(join(base, course[2]!));
          if (file === undefined)
            throw new BuildRefused(`${importer} imports ${spec}, which the course does not provide`);
          if (!within(resolve(file), base))
            throw new BuildRefused(`${importer} tried to import ${spec}, a file outside the course helpers`);
          return { path: resolve(file) };
        }
        if (fromSubmission) {
          if (!spec.startsWith('.'))
            throw new BuildRefused(
              isAbsolute(spec)
                ? `${importer} tried to import ${spec}, a file outside the submission`
                : `${importer} imports the package '${spec}', which is not allowed (allowed: ${ALLOWED_PACKAGES.join(', ')}, and node: built-ins)`,
            );
          const rel = posix.normalize(posix.join(posix.dirname(importer), spec));
          const candidates = candidatesFor(rel);
          const file = candidates.find((c) => tree.files.has(c));
          if (
            rel === '..' ||
            rel.startsWith('../') ||
            (file === undefined && candidates.some((c) => leadsOutside(tree, c)))
          )
            throw new BuildRefused(`${importer} tried to import ${spec}, a file outside the submission`);
          if (file === undefined && candidates.some((c) => tree.oversized.has(c)))
            throw new BuildRefused(
              `${importer} imports ${spec}, which is over the limit of ${TREE_LIMITS.maxFileBytes} bytes for one file`,
            );
          if (file === undefined)
            throw new BuildRefused(`${importer} imports ${spec}, which does not exist in the submission`);
          return { path: file, namespace: SUBMISSION };
        }
        if (!spec.startsWith('.') && !isAbsolute(spec)) {
          // The harness's own packages load from node_modules at run time.
          return { path: spec, external: true };
        }
        const file = resolveFile(resolve(dirname(args.importer), spec));
        if (file === undefined || !harness.some((h) => within(resolve(file), h)))
          throw new BuildRefused(`the harness imported ${spec}, outside course/, contract/ and runner/`);
        return { path: resolve(file) };
      });
      b.onLoad({ filter: /.*/, namespace: SUBMISSION }, (args) => {
        const loader = LOADERS[extname(args.path)];
        const contents = tree.files.get(args.path);
        if (loader === undefined || contents === undefined)
          throw new BuildRefused(`${args.path} is not a source or JSON file of the submission`);
        const attributes = Object.entries(args.with);
        if (
          attributes.length > 0 &&
          !(attributes.length === 1 && args.with.type === 'json' && loader === 'json')
        )
          throw new BuildRefused(
            `${args.path} is imported with the attributes ${JSON.stringify(args.with).slice(0, 100)}; the grader loads each file by its extension (only { type: 'json' } on a .json file is accepted)`,
          );
        // No resolveDir: esbuild then has no directory to expand a glob import in, so it lists none.
        return { contents, loader };
      });
      // Every other file the build reads is the harness's: esbuild's own expansions (a glob
      // import, say) never read anything else.
      b.onLoad({ filter: /.*/ }, (args) => {
        if (args.namespace === 'file' && !harness.some((h) => within(args.path, h)))
          throw new BuildRefused(`the build tried to read ${args.path}, which is not part of the submission`);
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

function bundleOptions(tree: SubmissionTree, outDir: string): BuildOptions {
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
    // Stack traces of the submission's exceptions name its own files and lines (runner/child.ts).
    sourcemap: 'inline',
    sourcesContent: false,
    write: false,
    plugins: [
      courseTfjs(PROJECT_ROOT),
      loadWithRequire((spec) => spec !== TFJS_PACKAGE && ALLOWED_PACKAGES.includes(spec), outDir),
      confine(tree),
    ],
  };
}

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number } | null;
  detail?: unknown;
}

function refusal(error: unknown): BuildRefused | undefined {
  const errors = (error as { errors?: EsbuildMessage[] } | undefined)?.errors;
  if (!errors || errors.length === 0) return undefined;
  const refused = errors.map((e) => e.detail).find((d): d is BuildRefused => d instanceof BuildRefused);
  if (refused) return refused;
  const lines = errors.slice(0, 5).map((e) => {
    const file = e.location?.file.replace(`${SUBMISSION}:`, '');
    const glob = /Could not resolve (import|require)\(".*\*.*"\)/.test(e.text)
      ? ' (the grader does not expand imports built from template literals: import each file by its name)'
      : '';
    return `${file ? `${file}:${e.location!.line}: ` : ''}${e.text}${glob}`;
  });
  return new BuildRefused(`the submission does not compile:\n  ${lines.join('\n  ')}`);
}

/**
 * Bundles runner/child.ts with the submission under `submissionDir` into `outDir` (inside the
 * project, so node_modules resolve). The submission is read first (`readSubmissionTree`), so every
 * fault of its tree is a BuildRefused; the build is cancelled at BUILD_LIMITS.deadlineMs.
 */
export async function buildSubmission(
  submissionDir: string,
  outDir: string,
  limits = BUILD_LIMITS,
): Promise<BuildResult> {
  let tree: SubmissionTree;
  try {
    tree = readSubmissionTree(submissionDir);
  } catch (error) {
    if (error instanceof TreeRefused) throw new BuildRefused(error.message);
    throw error;
  }
  const ctx = await context(bundleOptions(tree, outDir));
  let timer: NodeJS.Timeout | undefined;
  let outputs;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void ctx.cancel();
        reject(new BuildRefused(`the submission's build took longer than ${limits.deadlineMs / 1000} s`));
      }, limits.deadlineMs);
    });
    const result = await Promise.race([ctx.rebuild(), late]).catch((error: unknown) => {
      throw error instanceof BuildRefused ? error : (refusal(error) ?? error);
    });
    outputs = result.outputFiles ?? [];
  } finally {
    clearTimeout(timer);
    await ctx.dispose();
  }
  const size = outputs.reduce((sum, file) => sum + file.contents.length, 0);
  if (size > limits.maxOutputBytes)
    throw new BuildRefused(
      `the submission's build is ${size} bytes, over the limit of ${limits.maxOutputBytes}`,
    );
  mkdirSync(outDir, { recursive: true });
  for (const file of outputs) {
    if (!within(file.path, resolve(outDir))) throw new Error(`esbuild wrote outside ${outDir}: ${file.path}`);
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  const entry = join(outDir, 'child.mjs');
  if (extname(entry) !== '.mjs' || !existsSync(entry)) throw new Error(`esbuild wrote no ${entry}`);
  return { dir: outDir, entry };
}
