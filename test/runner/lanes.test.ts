/**
 * runner/lanes.ts: which lane serves a request when a submission is graded in several children.
 * The items are plain records standing for processes, so the policy is seen without timing.
 */
import { describe, expect, it } from 'vitest';
import { Lanes, type Lane } from '../../runner/lanes.js';

interface Proc {
  id: number;
  group: string;
  retired: boolean;
}

/** `carries`: which group changes keep a process (default: none). */
function pool(capacity: number, carries?: (from: string, to: string) => boolean) {
  const made: Proc[] = [];
  const lanes = new Lanes<Proc>(
    capacity,
    (p) => (p.retired = true),
    (p) => !p.retired,
    carries,
  );
  /** Takes a lane for `group`, starting a process in it when it has none. */
  const take = async (group: string): Promise<Lane<Proc>> => {
    const lane = await lanes.acquire(group);
    if (lane.item === undefined) {
      lane.item = { id: made.length, group, retired: false };
      made.push(lane.item);
    }
    return lane;
  };
  const alive = (): Proc[] => made.filter((p) => !p.retired);
  return { lanes, take, made, alive };
}

const settled = async <T>(p: Promise<T>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('Lanes', () => {
  it('serves as many requests at once as it has lanes, and the next when one frees', async () => {
    const { lanes, take, made } = pool(2);
    const a = await take('visible');
    const b = await take('visible');
    expect(a).not.toBe(b);
    const third = take('visible');
    expect(await settled(third)).toBe(false);
    lanes.release(a);
    const c = await third;
    expect(c).toBe(a);
    expect(made).toHaveLength(2);
  });

  it('reuses an idle lane of the same group with its process', async () => {
    const { lanes, take, made } = pool(2);
    const a = await take('visible');
    lanes.release(a);
    expect(await take('visible')).toBe(a);
    expect(made).toHaveLength(1);
  });

  it('never lets processes of two groups live at once: another group waits, then retires every idle lane', async () => {
    const { lanes, take, alive } = pool(2);
    const a = await take('visible');
    const b = await take('visible');
    lanes.release(a);
    const hidden = take('hidden');
    // b still serves a visible request: the hidden one waits, although a is idle.
    expect(await settled(hidden)).toBe(false);
    lanes.release(b);
    const h = await hidden;
    expect(h.group).toBe('hidden');
    expect(alive().map((p) => p.group)).toEqual(['hidden']);
    const h2 = await take('hidden');
    expect(alive().map((p) => p.group)).toEqual(['hidden', 'hidden']);
    lanes.release(h);
    lanes.release(h2);
    // And back: a visible request retires the hidden processes first.
    await take('visible');
    expect(alive().map((p) => p.group)).toEqual(['visible']);
  });

  it('serves waiting requests first come, first served', async () => {
    const { lanes, take } = pool(1);
    const a = await take('visible');
    const order: string[] = [];
    const first = take('visible').then((l) => (order.push('first'), l));
    const second = take('visible').then((l) => (order.push('second'), l));
    lanes.release(a);
    lanes.release(await first);
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('carries idle processes into a later group, all at once, once no lane of the earlier group is busy', async () => {
    const forward = (from: string, to: string): boolean => from === 'visible' && to === 'hidden';
    const { lanes, take, made, alive } = pool(2, forward);
    const a = await take('visible');
    const b = await take('visible');
    lanes.release(a);
    const hidden = take('hidden');
    // b still serves a visible request: the hidden one waits, and a stays visible meanwhile.
    expect(await settled(hidden)).toBe(false);
    expect(a.group).toBe('visible');
    lanes.release(b);
    const h = await hidden;
    // Both processes go on into the hidden group; none was retired, none started.
    expect([a.group, b.group]).toEqual(['hidden', 'hidden']);
    expect(made).toHaveLength(2);
    expect(alive()).toHaveLength(2);
    const h2 = await take('hidden');
    expect(new Set([h, h2])).toEqual(new Set([a, b]));
    expect(made).toHaveLength(2);
    lanes.release(h);
    lanes.release(h2);
    // Never back: a visible request after hidden ones retires the hidden processes first.
    const v = await take('visible');
    expect(made).toHaveLength(3);
    expect(alive().map((p) => p.id)).toEqual([v.item!.id]);
  });

  it('retires a process it may not carry, and one no longer usable, when the group changes', async () => {
    const { lanes, take, made, alive } = pool(2, (from, to) => from === 'visible' && to === 'hidden');
    const a = await take('visible');
    const b = await take('visible');
    a.item!.retired = true; // a's process died (usable says no)
    lanes.release(a);
    lanes.release(b);
    await take('hidden');
    await take('hidden');
    // b's process went on; a's lane started a fresh one.
    expect(made).toHaveLength(3);
    expect(
      alive()
        .map((p) => p.id)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new Lanes<Proc>(0, () => {})).toThrow(/capacity of at least 1, got 0/);
  });
});
