// The public tests of SGDwM (`npx vitest run sgdwm`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('SGDwM');
