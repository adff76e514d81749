import type { GroupCommit } from '../db/group-commit.js';
import type { ClaimedReminder, Recorded } from '../db/repositories/reminders/reminders-repository.js';
import { reconcileContacts, reconcileMeetings } from '../domain/reminders/reconciler.js';
import type { ReminderJobDeps } from './options.js';
import type { Slots } from './pacing.js';

// Record (docs/reminders.md, step 7): what one run records its outcomes through, and the re-plan after an outcome.

/**
 * The engine's dependencies within one run: the group commit its outcomes are recorded through, the cap on posts, the
 * length of a lease.
 */
export type TickDeps = ReminderJobDeps & { records: GroupCommit; posts: Slots; leaseMs: number; replanned: () => void };

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
