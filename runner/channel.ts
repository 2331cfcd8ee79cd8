/**
 * The grader's channel to the child: a plain socket on file descriptor 3 (not Node's `ipc`
 * channel, whose JSON parser throws in the grading process on one bad line). Each message is one
 * line of JSON. What crosses it is defined here; the grading process reads the child's side with
 * runner/frame-reader.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Request } from './protocol.js';

export type ToChild =
  { type: 'hello'; key: string } | { type: 'load' } | { type: 'request'; id: number; request: Request };

const Message = Type.String({ maxLength: 10_000 });
export const FromChild = Type.Union([
  Type.Object(
    { type: Type.Literal('ready'), backend: Type.String({ maxLength: 100 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('loaded'),
      exports: Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 20 }), {
        maxProperties: 1000,
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('load-failed'), message: Message }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('response'), id: Type.Integer({ minimum: 1 }), result: Type.Unknown() },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('response'), id: Type.Integer({ minimum: 1 }), error: Message },
    { additionalProperties: false },
  ),
]);
export type FromChild = Static<typeof FromChild>;

/** The file descriptor of the channel in the child. */
export const CHANNEL_FD = 3;

export interface ChannelLimits {
  /** Bytes of one frame (one line). */
  frameBytes: number;
  /** Bytes the child may write while one request (or the start, or the load) is outstanding. */
  requestBytes: number;
}

export const CHANNEL_LIMITS: ChannelLimits = { frameBytes: 32 * 1024 * 1024, requestBytes: 64 * 1024 * 1024 };

/** One frame as it goes on the wire. */
export function frame(value: unknown, stringify: (v: unknown) => string = JSON.stringify): string {
  return `${stringify(value)}\n`;
}
