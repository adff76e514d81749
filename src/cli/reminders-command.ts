import { parseArgs } from 'node:util';
import type { Db } from '../db/database.js';
import { type FailedReminder, listFailedReminders } from '../db/repositories/reminders/failed-reminders-repository.js';
import { retryReminder } from '../engine/index.js';

// `npm run reminders`: a failed reminder is never silent. Lists failed reminders with their reason, and retries one
// (through the planner's rules). Prints ids, kinds, times and Slack's error only: never a message body, a contact's
// name or any other user text, nor a token.

export const REMINDERS_USAGE = `Usage:
  npm run reminders -- --failed [--team T…] [--limit N] [--json]
      Failed reminders, newest first: id, team, user, kind, what it is about, when it failed, attempts, reason.
      --team   only these workspaces (repeat it, or separate ids with commas)
      --limit  at most N rows (1-1000, default 50)
      --json   one JSON object per line instead of a table
  npm run reminders -- --retry <id>
      Makes failed reminder <id> pending again, due now, if its meeting or contact still calls for it; the running
      app sends it at its next tick (looking in the DM first if the failed attempt may have posted).
  npm run reminders -- --help

Reads DATABASE_URL (or .env). Exit codes: 0 done; 1 error; 2 bad arguments, or a reminder that does not exist or
is not failed; 3 not retried: the facts no longer call for that reminder (nothing changed).`;

export const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1000;

export type RemindersArgs =
  | { command: 'help' }
  | { command: 'failed'; teamIds: string[]; limit: number; json: boolean }
  | { command: 'retry'; id: number }
  | { command: 'invalid'; message: string };

const invalid = (message: string): RemindersArgs => ({ command: 'invalid', message });

/** The options as node:util parses them; throws on an unknown option or a missing value. */
const readOptions = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    options: {
      failed: { type: 'boolean' },
      retry: { type: 'string' },
      team: { type: 'string', multiple: true },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;

/** Reads the command line (without node and the script). Pure; never throws. */
export function parseRemindersArgs(argv: readonly string[]): RemindersArgs {
  let values: ReturnType<typeof readOptions>;
  try {
    values = readOptions(argv);
  } catch (error) {
    return invalid((error as Error).message);
  }
  if (values.help) return { command: 'help' };
  if (values.failed && values.retry !== undefined) return invalid('--failed and --retry cannot be used together');
  if (values.retry !== undefined) {
    if (values.team !== undefined || values.limit !== undefined || values.json)
      return invalid('--team, --limit and --json go with --failed');
    if (!/^[1-9]\d{0,14}$/.test(values.retry))
      return invalid(`--retry needs a reminder id (a positive whole number), not "${values.retry}"`);
    return { command: 'retry', id: Number(values.retry) };
  }
  if (!values.failed) return invalid('say --failed (list) or --retry <id>');
  const teamIds = (values.team ?? []).flatMap((value) => value.split(',')).map((id) => id.trim());
  const badTeam = teamIds.find((id) => !/^[A-Z0-9]+$/.test(id));
  if (badTeam !== undefined) return invalid(`--team needs Slack workspace ids such as T0123ABCD, not "${badTeam}"`);
  let limit = DEFAULT_LIST_LIMIT;
  if (values.limit !== undefined) {
    limit = /^\d{1,4}$/.test(values.limit) ? Number(values.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIST_LIMIT))
      return invalid(`--limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, not "${values.limit}"`);
  }
  return { command: 'failed', teamIds: [...new Set(teamIds)], limit, json: values.json ?? false };
}

/** UTC to the second: what an operator compares with logs. */
const instant = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What a reminder is about, by id only (a contact's name is the user's data). */
function about(row: FailedReminder): string {
  if (row.meetingId !== null)
    return `meeting ${row.meetingId}${row.meetingStartsAt === null ? '' : ` at ${instant(row.meetingStartsAt)}`}`;
  return `contact ${row.contactId ?? '?'}`;
}

/** One line per reminder: a reason is Slack's error or the engine's words, but never let it break the table. */
const oneLine = (text: string | null) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this replaces
  (text ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || '-';

/** The failed reminders as a plain table aligned with spaces (the reason last, unpadded). Pure. */
export function formatFailedTable(rows: readonly FailedReminder[]): string {
  const header = ['ID', 'TEAM', 'USER', 'KIND', 'ABOUT', 'FAILED', 'ATTEMPTS', 'REASON'];
  const cells = rows.map((row) => [
    String(row.id),
    row.owner.teamId,
    row.owner.userId,
    row.kind,
    about(row),
    instant(row.failedAt),
    String(row.attempts),
    oneLine(row.reason),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => (line[i] as string).length)));
  return [header, ...cells]
    .map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] as number))).join('  '))
    .join('\n');
}

/** The failed reminders as JSON Lines, one object each. Pure. */
export function formatFailedJson(rows: readonly FailedReminder[]): string {
  return rows
    .map((row) =>
      JSON.stringify({
        id: row.id,
        team: row.owner.teamId,
        user: row.owner.userId,
        kind: row.kind,
        meetingId: row.meetingId,
        meetingStartsAt: row.meetingStartsAt === null ? null : instant(row.meetingStartsAt),
        contactId: row.contactId,
        failedAt: instant(row.failedAt),
        attempts: row.attempts,
        reason: row.reason,
      }),
    )
    .join('\n');
}

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** What a bad command line gets on stderr (then exit 2). */
export function usageError(message: string): string {
  return `reminders: ${message}\n\n${REMINDERS_USAGE}`;
}

export type DatabaseCommand = Extract<RemindersArgs, { command: 'failed' | 'retry' }>;

/** Runs a command that needs the database, at `now`; returns the exit code (errors from the database throw). */
export async function runRemindersCommand(
  db: Db,
  args: DatabaseCommand,
  now: Date,
  io: CommandOutput,
): Promise<number> {
  switch (args.command) {
    case 'failed': {
      const rows = await listFailedReminders(db, { teamIds: args.teamIds, limit: args.limit });
      if (rows.length === 0) {
        // With --json stdout stays valid JSON Lines (empty); the words go to stderr.
        (args.json ? io.err : io.out)('no failed reminders');
        return 0;
      }
      io.out(args.json ? formatFailedJson(rows) : formatFailedTable(rows));
      if (!args.json && rows.length === args.limit) io.out(`(the ${args.limit} newest; --limit N for more)`);
      return 0;
    }
    case 'retry': {
      const result = await retryReminder(db, args.id, now);
      switch (result.outcome) {
        case 'not_found':
          io.err(`reminders: there is no reminder ${result.id}`);
          return 2;
        case 'not_failed':
          io.err(
            `reminders: reminder ${result.id} is ${result.state}, not failed: only a failed reminder can be retried`,
          );
          return 2;
        case 'not_wanted':
          io.err(`reminders: reminder ${result.id} not retried: ${result.reason}; nothing changed`);
          return 3;
        case 'retried': {
          const when =
            result.dueAt.getTime() > now.getTime() ? `due at ${instant(result.dueAt)} (after quiet hours)` : 'due now';
          const look = result.checkBeforeSend
            ? '; it looks in the DM first, as the failed attempt may have posted'
            : '';
          io.out(`reminder ${result.id} is pending again, ${when}: the running app sends it at its next tick${look}`);
          return 0;
        }
      }
    }
  }
}
