// The public tests of Adam (`npx vitest run adam`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('Adam');
