// The public tests of training (`npx vitest run training`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('training');
