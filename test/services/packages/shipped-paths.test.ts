/**
 * The one list of what ships (services/packages/shipped-paths.ts): every path of the harness is in
 * the project and none is excluded whole, and the student repository and the LMS package each hold
 * the whole harness and keep its exclusions.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEVER_PACKED, PACKAGE_PATHS } from '../../../services/packages/export-package.js';
import { HARNESS_PATHS, NEVER_SHIPPED } from '../../../services/packages/shipped-paths.js';
import { RELEASE_PATHS } from '../../../scripts/release.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('shipped paths', () => {
  it('lists paths of the project, none of them excluded whole', () => {
    for (const path of HARNESS_PATHS) {
      expect(existsSync(join(root, path)), path).toBe(true);
      expect(
        NEVER_SHIPPED.filter((never) => path === never || path.startsWith(`${never}/`)),
        path,
      ).toEqual([]);
    }
  });

  it('is the harness of both the student repository and the LMS package, each with its additions', () => {
    expect(RELEASE_PATHS.slice(0, HARNESS_PATHS.length)).toEqual(HARNESS_PATHS);
    expect(RELEASE_PATHS).toContain('scripts/student-suite');
    expect(PACKAGE_PATHS.slice(0, HARNESS_PATHS.length)).toEqual(HARNESS_PATHS);
    expect(PACKAGE_PATHS).toContain('student-template');
    expect(NEVER_PACKED).toEqual(expect.arrayContaining([...NEVER_SHIPPED]));
  });
});
