/**
 * Runs a script's main function: a HarnessError is printed as one clear line (with the usage for a
 * bad option) and exits 2 for bad usage, 1 for any other fault. Any other error, thrown or left
 * unhandled anywhere (tfjs-backend-wasm's own handlers would rethrow it as exit 7 with a stack), is
 * one line too and exits 1; `OPTNN_DEBUG=1` prints its stack.
 */
import { HarnessError } from '../../course/errors.js';

/** One line for an error that is not a HarnessError (its stack only with OPTNN_DEBUG=1). */
function internal(error: unknown): string {
  if (process.env['OPTNN_DEBUG'] === '1' && error instanceof Error && error.stack) return error.stack;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `error [OPTNN_INTERNAL]: ${text.split('\n')[0]} (a fault of the grader; OPTNN_DEBUG=1 shows where)`;
}

let installed = false;

/** A fault nothing caught ends the process with exit 1 and one line, before any other handler rethrows it. */
function onUncaught(error: unknown): void {
  console.error(error instanceof HarnessError ? `error [${error.code}]: ${error.message}` : internal(error));
  process.exit(1);
}

export function runMain(main: () => Promise<void>, usageText: string): void {
  if (!installed) {
    installed = true;
    process.prependListener('uncaughtException', onUncaught);
    process.prependListener('unhandledRejection', onUncaught);
  }
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
    console.error(internal(error));
    process.exitCode = 1;
  });
}
