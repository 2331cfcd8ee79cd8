// The public tests of AdaGrad (`npx vitest run adagrad`); ../graded-part.ts says how a part is graded.
import { gradedPart } from '../graded-part.js';

gradedPart('AdaGrad');
