/**
 * The student starter's own package.json and lockfile: only what a student's commands need at run
 * time (npm test, npm run grade, experiments, tune, typecheck), never the TA's tools (linters, the
 * kernel compiler, the browser driver, Dawn's native GPU package, the optional tfjs-node builds). The
 * lockfile is the TA's, pruned to the packages the starter's dependencies reach, so the starter
 * installs exactly the versions the TA tested.
 */

/** Packages the starter depends on (at the TA's version ranges); a test checks nothing else creeps in. */
export const STARTER_DEPENDENCIES = [
  '@sinclair/typebox',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-layers',
  'ajv',
  'ajv-formats',
  'd3-contour',
  'd3-scale',
  'd3-shape',
  'esbuild',
  'execa',
  'handlebars',
  'mnist',
] as const;

export const STARTER_DEV_DEPENDENCIES = [
  '@types/d3-contour',
  '@types/d3-scale',
  '@types/d3-shape',
  '@types/node',
  'tsx',
  'typescript',
  'vitest',
] as const;

type Deps = Record<string, string>;
interface LockEntry {
  dependencies?: Deps;
  optionalDependencies?: Deps;
  peerDependencies?: Deps;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}
interface Lockfile {
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}

function pick(from: Deps | undefined, names: readonly string[]): Deps {
  const out: Deps = {};
  for (const name of names) {
    const range = from?.[name];
    if (range === undefined)
      throw new Error(`the project's package.json has no ${name}, which the starter needs`);
    out[name] = range;
  }
  return out;
}

/** The starter's package.json from the TA's: the same name, engines and imports, the starter's dependencies. */
export function starterPackage(pkg: Record<string, unknown>, scripts: Deps): Record<string, unknown> {
  const all = { ...(pkg['dependencies'] as Deps), ...(pkg['devDependencies'] as Deps) };
  const out: Record<string, unknown> = { ...pkg };
  delete out['optionalDependencies'];
  out['description'] = 'Optimizing Neural Networks: the assignment, with its public grading';
  out['scripts'] = scripts;
  out['dependencies'] = pick(all, STARTER_DEPENDENCIES);
  out['devDependencies'] = pick(all, STARTER_DEV_DEPENDENCIES);
  return out;
}

/** Where npm finds `name` for the package installed at `from` (a lockfile key): the nearest node_modules up. */
function locate(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key] !== undefined) return key;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** The TA's lockfile pruned to what `pkg`'s dependencies reach, with `pkg` as its root; flags recomputed. */
export function starterLockfile(lock: Lockfile, pkg: Record<string, unknown>): Lockfile {
  const prod = Object.keys((pkg['dependencies'] as Deps) ?? {});
  const dev = Object.keys((pkg['devDependencies'] as Deps) ?? {});
  const reachedBy = new Map<string, Set<'prod' | 'dev'>>();
  const visit = (key: string, kind: 'prod' | 'dev'): void => {
    const kinds = reachedBy.get(key) ?? new Set();
    if (kinds.has(kind)) return;
    kinds.add(kind);
    reachedBy.set(key, kinds);
    const entry = lock.packages[key]!;
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => optionalPeers[n]?.optional !== true),
    ];
    for (const name of names) {
      const found = locate(lock.packages, key, name);
      if (found !== undefined) visit(found, kind);
    }
  };
  for (const name of prod) visit(locate(lock.packages, '', name)!, 'prod');
  for (const name of dev) visit(locate(lock.packages, '', name)!, 'dev');
  const packages: Lockfile['packages'] = {};
  const root = lock.packages['']!;
  packages[''] = {
    ...root,
    name: pkg['name'],
    version: pkg['version'],
    dependencies: pkg['dependencies'] as Deps,
    devDependencies: pkg['devDependencies'] as Deps,
  };
  delete packages['']!.optionalDependencies;
  for (const [key, entry] of Object.entries(lock.packages)) {
    const kinds = reachedBy.get(key);
    if (key === '' || kinds === undefined) continue;
    const copy: LockEntry = { ...entry };
    delete copy.dev;
    delete copy.devOptional;
    if (!kinds.has('prod')) copy.dev = true;
    packages[key] = copy;
  }
  return { ...lock, name: pkg['name'], packages };
}

/** What a student installs to run the experiments on a GPU (the starter's README says so). */
export const GPU_OPT_IN = 'npm install --no-save webgpu @tensorflow/tfjs-backend-webgpu';

/**
 * Written into the starter beside the course helpers: the WebGPU packages (Dawn's `webgpu`, 130 MB
 * of native builds, and tfjs's backend, 19 MB) are an opt-in there, so their imports in
 * course/webgpu.ts must type-check without them.
 */
export const OPTIONAL_PACKAGE_TYPES = `// The starter installs the WebGPU packages only on request: ${GPU_OPT_IN}
declare module 'webgpu';
declare module '@tensorflow/tfjs-backend-webgpu';
`;
