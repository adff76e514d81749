import type { ClaimedReminder } from '../db/repositories/reminders/reminders-repository.js';
import type { ReminderJobDeps } from './options.js';

// Pacing (docs/reminders.md; its ledger entry, Slack's rate limits, is "Pacing" in docs/performance.md): a workspace's turns at Slack's pace, and the cap on posts in flight across workspaces.

/** A counting semaphore: at most `size` holders at once, the rest served in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/**
 * One workspace's pace: posts at least `spacing` apart, and a DM channel's at least `channelInterval` apart. Turns
 * are taken one after another (one waiter at a time, so the clock is only ever waited on once per workspace), and
 * the post that got its turn goes out while the next waits for its own.
 */
export class Pacer {
  private queue: Promise<void> = Promise.resolve();
  private nextPost = -Infinity;
  private readonly nextTo = new Map<string, number>();
  constructor(
    private readonly deps: Pick<ReminderJobDeps, 'clock' | 'sleep'>,
    private readonly spacing: number,
    private readonly channelInterval: number,
  ) {}

  /** Takes the next reminder to work on: the first whose DM channel is free soonest (due order otherwise). */
  next<T extends { reminder: ClaimedReminder }>(queue: T[]): T | undefined {
    if (queue.length <= 1) return queue.shift();
    const now = this.deps.clock.now().getTime();
    const readyAt = (i: number) => this.nextTo.get((queue[i] as T).reminder.owner.userId) ?? -Infinity;
    let best = 0;
    for (let i = 0; i < queue.length && i < 50; i++) {
      const ready = readyAt(i);
      if (ready <= now) {
        best = i;
        break;
      }
      if (ready < readyAt(best)) best = i;
    }
    return queue.splice(best, 1)[0];
  }

  /** Waits for this user's turn to be posted to, then runs `work` (deciding, and handing the post over) in it. */
  turn<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const at = this.deps.clock.now().getTime();
      const ready = Math.max(this.nextPost, this.nextTo.get(userId) ?? -Infinity);
      if (ready > at) await this.deps.sleep(ready - at);
      const now = this.deps.clock.now().getTime();
      this.nextPost = now + this.spacing;
      this.nextTo.set(userId, now + this.channelInterval);
      return work();
    });
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
