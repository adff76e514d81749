/**
 * Named points where a test holds one task while another runs: deterministic interleavings of transactions, replicas
 * and token refreshes, without waiting for time. Production registers nothing, so `pausePoint` is one map lookup.
 *
 * A module-level registry rather than a dependency: the points sit inside repositories, which take only a database,
 * and threading a test seam through every signature would cost more than it tells. Each vitest file runs in its own
 * module graph, so one file's holds never reach another's.
 */

interface Hold {
  readonly when: (detail: unknown) => boolean;
  readonly arrived: (detail: unknown) => void;
  readonly released: Promise<void>;
}

const holds = new Map<string, Hold[]>();

/**
 * Marks a point named `name` (e.g. "reconcile:after-read"). When a test holds it, the first arrival that matches waits
 * here until the test releases it; every other arrival passes at once. Never throws.
 */
export function pausePoint(name: string, detail?: unknown): Promise<void> | undefined {
  if (holds.size === 0) return undefined;
  const waiting = holds.get(name);
  if (waiting === undefined) return undefined;
  const index = waiting.findIndex((hold) => hold.when(detail));
  if (index < 0) return undefined;
  const [hold] = waiting.splice(index, 1) as [Hold];
  if (waiting.length === 0) holds.delete(name);
  hold.arrived(detail);
  return hold.released;
}

/** A hold a test placed on a pause point. */
export interface HeldPoint {
  /** Resolves with the arrival's detail once a task has reached the point and is waiting there. */
  readonly reached: Promise<unknown>;
  /** Lets the waiting task go on (or lets the next arrival pass, when none has come). */
  release(): void;
}

/** For tests: hold the next arrival at `name` (that `when` accepts) until `release()`. */
export function holdAt(name: string, when: (detail: unknown) => boolean = () => true): HeldPoint {
  let arrived!: (detail: unknown) => void;
  let release!: () => void;
  const reached = new Promise<unknown>((resolve) => {
    arrived = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const hold: Hold = { when, arrived, released };
  holds.set(name, [...(holds.get(name) ?? []), hold]);
  return {
    reached,
    release: () => {
      const waiting = holds.get(name);
      if (waiting?.includes(hold)) {
        const rest = waiting.filter((other) => other !== hold);
        if (rest.length === 0) holds.delete(name);
        else holds.set(name, rest);
      }
      release();
    },
  };
}
