import type { Db } from '../db/database.js';
import type { GroupCommit } from '../db/group-commit.js';
import {
  type ClaimedReminder,
  markReminderSent,
  markRemindersSent,
  type Recorded,
  type SentPost,
} from '../db/repositories/reminders/reminders-repository.js';
import { reconcileContacts, reconcileMeetings } from '../domain/reminders/reconciler.js';
import type { ReminderJobDeps } from './options.js';
import type { Slots } from './pacing.js';

// Record (docs/reminders.md, step 7): what one run records its outcomes through, and the re-plan after an outcome.

/**
 * The engine's dependencies within one run: the group commit its hand-overs and outcomes are recorded through (and
 * the batch its posts are recorded in), the cap on posts, the length of a lease.
 */
export type TickDeps = ReminderJobDeps & {
  records: GroupCommit;
  sent: SentBatch;
  posts: Slots;
  leaseMs: number;
  replanned: () => void;
};

/**
 * Once an outcome is recorded: when the facts changed while the row was claimed (or it was skipped, perhaps for a
 * newer delivery), the reconciler brings the subject's rows to the facts, so a meeting moved mid-send gets its new
 * reminders.
 */
export async function afterRecord(
  deps: TickDeps,
  reminder: ClaimedReminder,
  recorded: Recorded,
  always = false,
): Promise<void> {
  if (!recorded.recorded || !(recorded.replan || always)) return;
  const now = deps.clock.now();
  if (reminder.meetingId !== null) await reconcileMeetings(deps.db, [reminder.meetingId], now);
  if (reminder.contactId !== null) await reconcileContacts(deps.db, [reminder.contactId], now);
  deps.replanned();
}

interface Waiting {
  post: SentPost;
  resolve: (recorded: Recorded) => void;
  reject: (error: unknown) => void;
}

/**
 * A speed mechanism (docs/performance.md, "Batched outcomes"): the posts recorded as sent within `windowMs` of the
 * first (up to `maxBatch`) are written by one statement, not one each; at once when every reminder being worked on
 * (`working`) is waiting here, as at the end of a drain. Safe to wait: a post is recorded only after its hand-over,
 * so until its outcome is written a claim that runs out is looked for in the DM, never posted again. When the
 * batch's statement fails, each post is recorded on its own (and fails on its own).
 */
export class SentBatch {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly windowMs: number,
    private readonly working: () => number = () => 0,
    private readonly maxBatch = 64,
  ) {}

  record(post: SentPost): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ post, resolve, reject });
      if (this.waiting.length >= Math.min(this.maxBatch, this.working())) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  private async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    const one = (item: Waiting) =>
      markReminderSent(this.db, item.post.claim, item.post, item.post.sentAtIso).then(item.resolve, item.reject);
    if (batch.length === 1) return one(batch[0] as Waiting);
    let recorded: Map<number, Recorded>;
    try {
      const nowIso = (batch[batch.length - 1] as Waiting).post.sentAtIso;
      recorded = await markRemindersSent(
        this.db,
        batch.map((item) => item.post),
        nowIso,
      );
    } catch {
      await Promise.all(batch.map(one));
      return;
    }
    for (const item of batch) item.resolve(recorded.get(item.post.claim.id) ?? { recorded: false, replan: false });
  }
}
