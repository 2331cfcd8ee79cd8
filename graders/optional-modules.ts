/**
 * The modules only the TA's copy has: the reference solution (for fresh cases and the gates) and
 * the known mistakes' code. Student repositories and the LMS package leave them out, so they are
 * imported by a path held in a variable: tsc and bundlers then never require them. The grading
 * command's bundle (scripts/cli/command-bundle.ts) replaces this module with one that imports,
 * by their literal paths, those of them that this copy has, so they are bundled with it.
 */

/** Each optional module's path, relative to this directory. */
export const OPTIONAL_MODULES = {
  reference: '../reference/index.js',
  mistakes: './mistakes/registry.js',
} as const;

export type OptionalModule = keyof typeof OPTIONAL_MODULES;

/** The module, or a rejection where this copy does not have it. */
export function importOptional(name: OptionalModule): Promise<unknown> {
  return import(/* @vite-ignore */ OPTIONAL_MODULES[name]);
}
