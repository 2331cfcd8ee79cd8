// The public tests of SGDwMLD (`npx vitest run sgdwmld`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('SGDwMLD');
