/**
 * vitest's file order for the student suite: the graded parts in the manifest's order (tuning's
 * check reads the verdict of the optimizer it retrains, graded in that optimizer's part), then the
 * student's own tests.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { partFile, publicParts } from './parts.js';

export default class PartOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = publicParts().map((p) => partFile(p));
    const rank = (file: TestSpecification): number => {
      const at = order.findIndex((f) => file.moduleId.endsWith(`/scripts/student-suite/${f}`));
      return at === -1 ? order.length : at;
    };
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}
