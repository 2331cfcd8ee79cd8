/**
 * Loads a submission's code into this process, for a student's own experiments and tuning runs:
 * their own code on their own machine. (Grading never does this: it runs the code in the
 * confined child of runner/.) The submission is bundled by esbuild as the grader bundles it —
 * its own files inlined, `#course/*` and `#contract/*` resolved to this project's helpers, packages
 * from node_modules — and the bundle is imported. The course helpers stay shared modules, so the
 * submission's classes and the harness's are the same ones.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { HarnessError } from '../../course/errors.js';
import { PROJECT_ROOT } from '../../runner/build.js';

const candidates = (base: string): string[] => [
  base,
  base.replace(/\.js$/, '.ts'),
  `${base}.ts`,
  `${base}.js`,
  join(base, 'index.ts'),
  join(base, 'index.js'),
];

function resolveFile(base: string): string | undefined {
  return candidates(base).find((c) => existsSync(c) && statSync(c).isFile());
}

function courseImports(): Plugin {
  return {
    name: 'optnn-course-imports',
    setup(b) {
      b.onResolve({ filter: /^#(course|contract)\// }, (args) => {
        const [, layer, rest] = /^#(course|contract)\/(.+)$/.exec(args.path)!;
        const file = resolveFile(join(PROJECT_ROOT, layer!, rest!));
        if (file === undefined)
          return {
            errors: [
              {
                text: `${args.path} is not one of the course's helpers (looked in ${join(PROJECT_ROOT, layer!)})`,
              },
            ],
          };
        // External and absolute: the running process loads the very module the harness uses.
        return { path: realpathSync(file), external: true };
      });
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
      );
    },
  };
}

/** The directory holds a submission: it exists and has an index.ts. */
export function checkSubmissionDir(dir: string, flag: string): string {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected ${flag} to be a submission directory, got ${dir}, which does not exist or is not a directory`,
    );
  }
  if (!existsSync(join(abs, 'index.ts'))) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected ${flag} to be a submission directory with an index.ts, got ${dir}, which has none`,
    );
  }
  return abs;
}

/** The submission this checkout grades by default: `reference/` in the main repository, `submission/` in the starter. */
export function defaultSubmissionDir(): string {
  return join(
    PROJECT_ROOT,
    existsSync(join(PROJECT_ROOT, 'reference', 'index.ts')) ? 'reference' : 'submission',
  );
}

export type SubmissionModule = Record<string, unknown>;

/** Bundles and imports `dir/index.ts`; a compile error is the student's, said with file and line. */
export async function loadSubmissionModule(dir: string): Promise<SubmissionModule> {
  const entry = join(dir, 'index.ts');
  const outDir = join(
    PROJECT_ROOT,
    '.work',
    'experiments',
    createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 12),
  );
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `submission-${process.pid}-${Date.now()}.mjs`);
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      write: true,
      plugins: [courseImports()],
    });
  } catch (error) {
    const errors =
      (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> })
        .errors ?? [];
    const lines = errors
      .slice(0, 5)
      .map((e) => `${e.location ? `${relative(dir, e.location.file)}:${e.location.line}: ` : ''}${e.text}`);
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `The submission in ${dir} does not compile:\n  ${lines.join('\n  ') || String(error)}`,
    );
  }
  if (!existsSync(outfile)) throw new Error(`esbuild wrote no ${outfile}`);
  try {
    return (await import(pathToFileURL(outfile).href)) as SubmissionModule;
  } finally {
    // Loaded once, it is not needed again: a rerun bundles afresh.
    rmSync(outfile, { force: true });
  }
}
