/**
 * Runs a command from its prebuilt bundle with plain node:  node scripts/run.mjs grade [arguments]
 * is  tsx scripts/grade.ts [arguments]  without tsx's loader (scripts/cli/command-bundle.ts says
 * why; scripts/cli/bundle-launch.mjs finds the bundle, or builds it when a source changed).
 */
import { pathToFileURL } from 'node:url';
import { bundleEntry, COMMANDS } from './cli/bundle-launch.mjs';

const command = process.argv[2];
if (command === undefined || !Object.hasOwn(COMMANDS, command)) {
  const names = Object.keys(COMMANDS).join('|');
  console.error(
    `usage: node scripts/run.mjs ${names} [arguments]  (the same as tsx scripts/<command>.ts [arguments])`,
  );
  process.exit(2);
}
const entry = await bundleEntry(command);
// The command reads its own arguments from argv[2] on, as when run from its source.
process.argv.splice(2, 1);
await import(pathToFileURL(entry).href);
