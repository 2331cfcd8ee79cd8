// The public tests of RMSProp (`npx vitest run rmsprop`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('RMSProp');
