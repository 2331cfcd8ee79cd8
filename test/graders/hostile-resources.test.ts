/** The hostile corpus, group "resources": see test/helpers/hostile-group.ts. */
import { describeHostileGroup } from '../helpers/hostile-group.js';

describeHostileGroup(
  'resources',
  'Resource abuse: hangs, hogs, spawns, floods and keep-alives are stopped, named, and leave nothing behind',
);
