/**
 * The grading process's side of the channel (runner/channel.ts): it parses what the child writes
 * itself, with limits: a size cap per frame and per request, a strict JSON parse inside a try, the
 * HMAC seal (a guard against accidents only: student code shares the child's process, so it can
 * reach the key and seal anything; no verdict rests on it) and a schema check of the envelope. Any
 * violation is reported as a problem, which the caller charges to the submission; nothing here
 * throws on the child's bytes.
 */
import { problemsWith } from '../contract/validate.js';
import { unseal } from './channel-auth.js';
import { FromChild, type ChannelLimits } from './channel.js';

const MiB = (n: number): string => `${Math.round(n / 1048576)} MiB`;

/**
 * Splits the child's bytes into lines, within the limits. `onFrame` gets each complete line;
 * `onProblem` is called once, on the first violation, after which everything is dropped.
 */
export class FrameReader {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private windowBytes = 0;
  private broken = false;

  constructor(
    private readonly limits: ChannelLimits,
    private readonly onFrame: (line: string) => void,
    private readonly onProblem: (problem: string) => void,
  ) {}

  /** A new request starts: the per-request count starts again. */
  startWindow(): void {
    this.windowBytes = 0;
  }

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.windowBytes += chunk.length;
    if (this.windowBytes > this.limits.requestBytes) {
      this.problem(
        `wrote more than ${MiB(this.limits.requestBytes)} on the grader's channel for one request`,
      );
      return;
    }
    let start = 0;
    for (let at = chunk.indexOf(10); at !== -1 && !this.broken; at = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, at);
      if (this.partBytes + piece.length > this.limits.frameBytes) {
        this.tooLong();
        return;
      }
      const line = Buffer.concat([...this.parts, piece]).toString('utf8');
      this.parts = [];
      this.partBytes = 0;
      start = at + 1;
      this.onFrame(line);
    }
    if (this.broken || start >= chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.partBytes + rest.length > this.limits.frameBytes) {
      this.tooLong();
      return;
    }
    this.parts.push(Buffer.from(rest));
    this.partBytes += rest.length;
  }

  private tooLong(): void {
    this.problem(`wrote a frame longer than ${MiB(this.limits.frameBytes)} on the grader's channel`);
  }

  private problem(text: string): void {
    this.broken = true;
    this.parts = [];
    this.onProblem(text);
  }
}

export type Parsed = { ok: true; message: FromChild } | { ok: false; problem: string };

/** One line from the child: JSON, sealed with `key`, and an envelope of the protocol. */
export function parseFrame(key: Buffer, line: string): Parsed {
  let sealed: unknown;
  try {
    sealed = JSON.parse(line);
  } catch {
    return {
      ok: false,
      problem: `wrote a line that is not JSON on the grader's channel (${line.length} characters)`,
    };
  }
  const opened = unseal(key, sealed);
  if (opened === undefined) {
    return {
      ok: false,
      problem: "sent a forged message on the grader's channel (not sealed with the grader's key)",
    };
  }
  const problems = problemsWith(FromChild, opened);
  if (problems.length > 0) {
    return {
      ok: false,
      problem: `sent a message on the grader's channel that is not one of the protocol's (${problems.length} problem(s))`,
    };
  }
  return { ok: true, message: opened as FromChild };
}
