/**
 * The import graph of the pipeline's layer folders, and the two rules it must keep
 * (docs/architecture.md): no import from a lower layer to a higher one, and no cycle.
 *
 * Imports are read with the TypeScript compiler's own scanner (`preProcessFile`: static imports,
 * `import type`, re-exports, literal dynamic `import()`) and resolved with its module resolution
 * under the project's settings, so `.js` specifiers, `#course/*` and `#contract/*` all land on the
 * real `.ts` file. Type-only imports count: a type cycle is still a cycle for the next reader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The pipeline, lowest first (docs/architecture.md draws it). A file may import from its own
 * folder and from folders of lower rank; two folders of one rank (the reference and the student
 * template; the two kinds of reporter) may not import each other. The longest matching folder
 * decides a file's layer, so `results/reporters/` (rank 6) sits above `results/` (rank 5). The
 * contract is above `course/` because it names the course's types (`Dataset`, `DataLoader`, …).
 */
export const LAYERS: readonly { folder: string; rank: number }[] = [
  { folder: 'course', rank: 0 },
  { folder: 'contract', rank: 1 },
  { folder: 'reference', rank: 2 },
  { folder: 'student-template', rank: 2 },
  { folder: 'runner', rank: 3 },
  { folder: 'graders', rank: 4 },
  { folder: 'results', rank: 5 },
  { folder: 'results/reporters', rank: 6 },
  { folder: 'reports', rank: 6 },
  { folder: 'services', rank: 7 },
  { folder: 'scripts', rank: 8 },
  { folder: 'tools', rank: 9 },
];

export interface ImportEdge {
  /** Both paths relative to the root, with `/`. */
  from: string;
  to: string;
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
}

const SOURCE = /\.(c|m)?tsx?$/;

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.isFile() && SOURCE.test(entry.name) ? [path] : [];
  });
}

/** The layer a root-relative path belongs to, or undefined when it is in none (test/, fixtures/…). */
export function layerOf(path: string): { folder: string; rank: number } | undefined {
  let best: { folder: string; rank: number } | undefined;
  for (const layer of LAYERS) {
    if (path.startsWith(`${layer.folder}/`) && (!best || layer.folder.length > best.folder.length)) {
      best = layer;
    }
  }
  return best;
}

/**
 * Every source file under the layer folders of `root`, and each import between two files of the
 * tree. Imports of packages are left out; so are files outside the layer folders that they import.
 */
export function readImportGraph(root: string): ImportGraph {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowJs: false,
    resolveJsonModule: true,
  };
  const host = ts.createCompilerHost(options);
  const files = LAYERS.flatMap((layer) =>
    sourceFiles(join(root, layer.folder)).filter(
      (file) => layerOf(toPosix(relative(root, file)))?.folder === layer.folder,
    ),
  ).sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const from = toPosix(relative(root, file));
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const to = toPosix(relative(root, resolved.resolvedFileName));
      if (to.startsWith('..') || to === from) continue;
      edges.push({ from, to });
    }
  }
  return { files: files.map((file) => toPosix(relative(root, file))), edges };
}

/** Each import that points up the pipeline or sideways between folders of one rank, as a message. */
export function backArrows(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const { from, to } of graph.edges) {
    const source = layerOf(from);
    const target = layerOf(to);
    if (!source || !target || source.folder === target.folder) continue;
    if (target.rank > source.rank) {
      found.push(
        `${from} imports ${to}: ${source.folder}/ (layer ${source.rank}) may not import from ` +
          `${target.folder}/ (layer ${target.rank}), which is higher in the pipeline`,
      );
    } else if (target.rank === source.rank) {
      found.push(
        `${from} imports ${to}: ${source.folder}/ and ${target.folder}/ are both layer ${source.rank} ` +
          `and may not import each other; move what both need to a lower layer`,
      );
    }
  }
  return found;
}

/**
 * Each import cycle, as a message listing the path round it (`a.ts → b.ts → a.ts`). One message
 * per strongly connected component (Tarjan), so a tangle of many files is reported once.
 */
export function importCycles(graph: ImportGraph): string[] {
  const next = new Map<string, string[]>(graph.files.map((file) => [file, []]));
  for (const { from, to } of graph.edges) next.get(from)?.push(to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) components.push(component.sort());
  };
  for (const file of graph.files) if (!index.has(file)) visit(file);
  return components.map((component) => {
    const path = cycleThrough(component, next);
    return `import cycle among ${component.length} files: ${path.join(' → ')}`;
  });
}

/** One concrete cycle inside a strongly connected component, from its first file back to it. */
function cycleThrough(component: string[], next: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = component[0] ?? '';
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    for (const to of next.get(file) ?? []) {
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = file; at !== undefined && at !== start; at = cameFrom.get(at)) {
          path.splice(1, 0, at);
        }
        return [...path, start];
      }
      if (members.has(to) && !cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  return component;
}
