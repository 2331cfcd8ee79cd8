/**
 * Runs a script's main function: a HarnessError is printed as one clear line (with the usage for a
 * bad option) and exits 2 for bad usage, 1 for any other fault; other errors keep their stack.
 */
import { HarnessError } from '../../course/errors.js';

export function runMain(main: () => Promise<void>, usageText: string): void {
  main().catch((error: unknown) => {
    if (error instanceof HarnessError) {
      console.error(`error [${error.code}]: ${error.message}`);
      if (error.code === 'OPTNN_BAD_OPTION' || error.code === 'OPTNN_UNKNOWN_BACKEND') {
        console.error(`\n${usageText}`);
        process.exitCode = 2;
      } else {
        process.exitCode = 1;
      }
      return;
    }
    console.error(error);
    process.exitCode = 1;
  });
}
