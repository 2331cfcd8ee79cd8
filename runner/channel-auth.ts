/**
 * Authenticates what the child sends: every message is a JSON payload with an HMAC-SHA256 under a
 * key the grading process hands the child before any student code loads. Student code shares the
 * child's process and can write to the IPC channel (through `process.send`, or the raw file
 * descriptor), but without the key it cannot make a message the grading process accepts; one that
 * fails the check is reported as a forgery.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SealedMessage {
  payload: string;
  mac: string;
}

/** Captured when this module loads, before student code can replace them. */
const hmac = createHmac;
const stringify = JSON.stringify;
const fromHex = Buffer.from.bind(Buffer);

export function newKey(): string {
  return randomBytes(32).toString('hex');
}

export function seal(key: Buffer, message: unknown): SealedMessage {
  const payload = stringify(message);
  return { payload, mac: hmac('sha256', key).update(payload).digest('hex') };
}

/** The message inside, or undefined when the seal does not hold. */
export function unseal(key: Buffer, raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { payload, mac } = raw as Partial<SealedMessage>;
  if (typeof payload !== 'string' || typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return undefined;
  const expected = hmac('sha256', key).update(payload).digest();
  if (!timingSafeEqual(expected, fromHex(mac, 'hex'))) return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}
