/**
 * SIGINT or SIGTERM (npm forwards them to this process): `stop` once; a second one exits at once
 * with 130. The grading command's subcommands stop their children this way.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
