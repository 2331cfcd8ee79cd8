/**
 * Which child serves a request, when one submission is graded in several children side by side:
 * at most `capacity` lanes, each serving one request at a time, of one group ("visible" or
 * "hidden"). A request takes an idle lane of its group; else a new lane, while there are fewer than
 * `capacity`; else an idle lane of another group. A lane changes group only while no lane of
 * another group is busy, and then every idle lane of the other groups changes with it: processes
 * of two groups never live side by side, so the one that saw hidden inputs cannot hand them to one
 * that serves visible tests. A process goes on into the new group only where `carries(from, to)`
 * says it may (visible → hidden: it saw nothing a later test must not); otherwise it is retired
 * first and its lane starts a fresh one. Requests wait first come, first served.
 */

export interface Lane<T> {
  /** The process serving this lane, once started (undefined: start one). */
  item: T | undefined;
  group: string;
  busy: boolean;
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new Error(`Lanes: expected a capacity of at least 1, got ${capacity}`);
}

export class Lanes<T> {
  private readonly lanes: Lane<T>[] = [];
  private readonly queue: Array<{ group: string; take: (lane: Lane<T>) => void }> = [];

  /**
   * `retire` ends a lane's process (called before the lane is dropped from a group); `usable` says
   * whether it can still serve (a lane with a usable process is preferred); `carries(from, to)`,
   * whether a process that served group `from` may go on to serve `to` (default: never).
   */
  constructor(
    private size: number,
    private readonly retire: (item: T) => void,
    private readonly usable: (item: T) => boolean = () => true,
    private readonly carries: (from: string, to: string) => boolean = () => false,
  ) {
    checkCapacity(size);
  }

  get capacity(): number {
    return this.size;
  }

  /** Raises the capacity to `capacity` (never lowers it); waiting requests may start at once. */
  widen(capacity: number): void {
    checkCapacity(capacity);
    this.size = Math.max(this.size, capacity);
    this.assign();
  }

  /** Every lane made so far. */
  get all(): readonly Lane<T>[] {
    return this.lanes;
  }

  /** A lane for a request of `group`, busy until `release`. */
  acquire(group: string): Promise<Lane<T>> {
    return new Promise((take) => {
      this.queue.push({ group, take });
      this.assign();
    });
  }

  /**
   * A new lane for `group`, busy until `release`, when one may be made now without waiting (below
   * capacity, no lane of another group busy); else undefined. For starting a process ahead of need.
   */
  open(group: string): Lane<T> | undefined {
    if (this.lanes.length >= this.size || this.lanes.some((l) => l.group !== group && (l.busy || l.item)))
      return undefined;
    const lane = this.add(group);
    lane.busy = true;
    return lane;
  }

  release(lane: Lane<T>): void {
    lane.busy = false;
    this.assign();
  }

  /** Retires the lane's process (the lane stays, empty). */
  empty(lane: Lane<T>): void {
    if (lane.item !== undefined) this.retire(lane.item);
    lane.item = undefined;
  }

  private assign(): void {
    for (let i = 0; i < this.queue.length;) {
      const { group, take } = this.queue[i]!;
      const lane = this.free(group);
      if (lane === undefined) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      lane.busy = true;
      take(lane);
    }
  }

  private free(group: string): Lane<T> | undefined {
    const idle = this.lanes.filter((l) => !l.busy);
    const ready = (l: Lane<T>): boolean => l.item !== undefined && this.usable(l.item);
    const pick = (): Lane<T> | undefined =>
      idle.find((l) => l.group === group && ready(l)) ?? idle.find((l) => l.group === group);
    const same = pick();
    if (same !== undefined) return same;
    if (this.lanes.some((l) => l.busy && l.group !== group)) return undefined;
    if (idle.length === 0 && this.lanes.length >= this.capacity) return undefined;
    // No process of another group lives beside this group's: every idle lane joins it, its process
    // kept where it may go on into this group, else retired.
    for (const l of idle) {
      if (l.group === group) continue;
      if (!(ready(l) && this.carries(l.group, group))) this.empty(l);
      l.group = group;
    }
    return pick() ?? this.add(group);
  }

  private add(group: string): Lane<T> {
    const lane: Lane<T> = { item: undefined, group, busy: false };
    this.lanes.push(lane);
    return lane;
  }
}
