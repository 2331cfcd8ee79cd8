// The public tests of tuning (`npx vitest run tuning`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('tuning');
