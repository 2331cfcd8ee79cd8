/** The hostile corpus, group "integrity": see test/helpers/hostile-group.ts. */
import { describeHostileGroup } from '../helpers/hostile-group.js';

describeHostileGroup(
  'integrity',
  'Integrity attacks: no read, write, forged answer or patched measurement raises a score above what the code earns',
);
