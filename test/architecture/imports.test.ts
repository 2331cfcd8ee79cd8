/**
 * Imports flow one way along the pipeline, with no cycle (docs/architecture.md). The fixture trees
 * under fixtures/ show that the check fails on a back-arrow and on a cycle, with the files named.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backArrows, importCycles, layerOf, readImportGraph } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

describe('the project tree', () => {
  const graph = readImportGraph(ROOT);

  it('reads every layer folder and the imports between them', () => {
    // A reader that found nothing would pass every rule below.
    for (const folder of [
      'course',
      'contract',
      'reference',
      'runner',
      'graders',
      'results',
      'reports',
      'services',
      'scripts',
      'tools',
    ]) {
      expect(
        graph.files.some((file) => file.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
    }
    expect(graph.edges).toContainEqual({
      from: 'graders/mistakes/registry.ts',
      to: 'graders/mistakes/adam.ts',
    });
    // `import { torchInit } from '#course/torch-init.js'` resolves through package.json's imports.
    expect(graph.edges).toContainEqual({ from: 'reference/nets.ts', to: 'course/torch-init.ts' });
  });

  it('has no import from a lower layer to a higher one', () => {
    expect(backArrows(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('passes a tree whose imports all point down', () => {
    const graph = readImportGraph(fixture('clean'));
    expect(graph.edges).toHaveLength(3);
    expect(backArrows(graph)).toEqual([]);
    expect(importCycles(graph)).toEqual([]);
  });

  it('fails on a back-arrow, naming both files and both layers', () => {
    const graph = readImportGraph(fixture('back-arrow'));
    expect(backArrows(graph)).toEqual([
      'runner/child.ts imports graders/verdict.ts: runner/ (layer 3) may not import from graders/ ' +
        '(layer 4), which is higher in the pipeline',
    ]);
    expect(importCycles(graph)).toEqual([]);
  });

  it('fails on a cycle, even one closed by a type-only import, naming the files round it', () => {
    const graph = readImportGraph(fixture('cycle'));
    expect(importCycles(graph)).toEqual([
      'import cycle among 2 files: graders/entry.ts → graders/registry.ts → graders/entry.ts',
    ]);
    expect(backArrows(graph)).toEqual([]);
  });

  it('places a file by its longest layer folder, and test/ in none', () => {
    expect(layerOf('results/reporters/csv.ts')).toEqual({ folder: 'results/reporters', rank: 6 });
    expect(layerOf('results/model.ts')).toEqual({ folder: 'results', rank: 5 });
    expect(layerOf('test/graders/grade.test.ts')).toBeUndefined();
  });
});
