/**
 * Compile-time proof that both sides implement the contract: `tsc --noEmit` (run by
 * test/contract/contract.test.ts) fails if either module does not satisfy `Submission`.
 */
import type { Submission } from '../../contract/index.js';
import * as reference from '../../reference/index.js';
import * as template from '../../student-template/index.js';

export const referenceSatisfiesContract: Submission = reference;
export const templateSatisfiesContract: Submission = template;
