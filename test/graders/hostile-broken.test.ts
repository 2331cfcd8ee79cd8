/** The hostile corpus, group "broken": see test/helpers/hostile-group.ts. */
import { describeHostileGroup } from '../helpers/hostile-group.js';

describeHostileGroup(
  'broken',
  'Broken submissions: each fails only the tests it breaks, with a message naming what happened',
);
