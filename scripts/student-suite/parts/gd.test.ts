// The public tests of GD (`npx vitest run gd`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('GD');
