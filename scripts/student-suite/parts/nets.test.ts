// The public tests of nets (`npx vitest run nets`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('nets');
