// The reminder engine (docs/reminders.md): what the rest of the app builds and runs it with.
export { drainDueReminders } from './drain.js';
export {
  DEFAULT_TICK_OPTIONS,
  emptyTickReport,
  type ReminderJobDeps,
  type TickOptions,
  type TickReport,
} from './options.js';
export { holderOf, leaveReplicas } from './replicas.js';
export { type RetryOutcome, retryReminder } from './retry-failed.js';
