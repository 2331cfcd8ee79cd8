// The public tests of data (`npx vitest run data`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('data');
