// The public tests of NAGD (`npx vitest run nagd`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('NAGD');
