/** The submission's index.ts, as runner/build.ts resolves the bare specifier inside the child bundle. */
declare module 'optnn-submission' {
  const submission: unknown;
  export = submission;
}
