import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { contactNameKey, contactSearchText } from '../../src/domain/contacts/contact-text.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  planMeeting,
  type WantedReminder,
} from '../../src/domain/reminders/reminder-plan.js';
import { toDbInstant } from '../../src/lib/zoned-time.js';

/*
 * The one seeded data generator of every benchmark. Users spread over workspaces; contacts (names in many languages,
 * Zipf-like companies, tags; `name_key` and `search_text` by the app's own rules); a share of contacts with a meeting,
 * past (three in four debriefed) or to come, and for each meeting to come the pending reminders the app's planner
 * wants (its delivery keys). One heavy user (`U000000` of `T000`) may get a number of contacts and meetings of its
 * own, spread in time among everyone else's rows as production interleaves them. `loadInChild` runs the app's
 * migrations, then writes the rows with better-sqlite3 in one transaction, in a child process, so a million rows of
 * garbage stay out of the measuring process's heap. The same seed gives the same data.
 */

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ZONES =
  'America/New_York America/Chicago America/Los_Angeles America/Sao_Paulo Europe/London Europe/Berlin Africa/Lagos Asia/Kolkata Asia/Singapore Asia/Tokyo Australia/Sydney'.split(
    ' ',
  );
const FIRST =
  'Ada Grace Alan José Łukasz Ömer Zoë Björn Aiko Chidi Priya Mateo Søren Elif Noah Fatima Hiroshi Amélie Kwame Ingrid Rafael Mei Olusegun Anaïs'.split(
    ' ',
  );
const LAST =
  'Lovelace Hopper Turing García Kowalski Yıldız Müller Nakamura Okafor Sharma Rossi Øberg Dubois Nguyen Silva Kim Johansson Haddad Mensah Fernández Novák Ivanova Brown Doyle'.split(
    ' ',
  );
const TITLES =
  'Staff Engineer,Product Manager,Data Analyst,Design Lead,Engineering Manager,Researcher,Founder,Recruiter'.split(',');
const TAGS = 'mentor design ml fintech alumni hiring climate ux'.split(' ');
const SYLLABLES = 'ka lo mi ren to sha vi dor el qua zu ni'.split(' ');

export const teamId = (workspace: number) => `T${String(workspace).padStart(3, '0')}`;
export const userId = (user: number) => `U${String(user).padStart(6, '0')}`;
/** A user's app DM channel: the workspace is in the id, so the rate-limited fake applies per-workspace limits. */
export const dmChannelOf = (workspace: number, user: number) =>
  `D${String(workspace).padStart(3, '0')}${String(user).padStart(6, '0')}`;
export const teamOfChannel = (channel: string) => `T${channel.slice(1, 4)}`;

export interface LoadSpec {
  users: number;
  workspaces: number;
  /** Pending reminders wanted: contacts with a meeting to come are made until there are this many (with `contacts` 0). */
  reminders?: number;
  /** Contacts of everyone but the heavy user; `meetingShare` of them have a meeting. */
  contacts?: number;
  meetingShare?: number;
  /** The heavy user's contacts and meetings (its meetings from a year ago to two months ahead). */
  heavyContacts?: number;
  heavyMeetings?: number;
  /** History: `historyUsers` people with 2 meetings a month for `historyMonths` months, the planner's six rows each. */
  historyMonths?: number;
  historyUsers?: number;
  now: Date;
  seed: number;
}

export type LoadResult = ReturnType<typeof loadDataset>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Loads the data set into the migrated database at `path`, in one transaction. */
export function loadDataset(path: string, spec: LoadSpec) {
  const started = performance.now();
  const random = seededRandom(spec.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const sqlite = new SQLite(path);
  sqlite.pragma('cache_size = -1048576'); // the load only: index inserts in random key order
  sqlite.pragma('synchronous = OFF');
  const now = spec.now.getTime();
  const nowIso = toDbInstant(spec.now);
  const zoneOf = (user: number) => (user === 0 ? 'America/New_York' : (ZONES[(user * 7) % ZONES.length] as string));
  const companies = Array.from({ length: 400 }, (_, i) =>
    `${pick(SYLLABLES)}${pick(SYLLABLES)}${i % 3 === 0 ? ' Labs' : ''}`.replace(/^./, (c) => c.toUpperCase()),
  );
  const insertUser = sqlite.prepare(
    'insert into slack_users (team_id, user_id, time_zone, time_zone_checked_at, dm_channel_id, created_at) values (?, ?, ?, ?, ?, ?)',
  );
  const insertContact = sqlite.prepare(
    `insert into contacts (id, team_id, owner_id, name, pronunciation, title, company, email, profile_url, time_zone, how_met,
       referred_by_id, tags, notes, name_key, search_text, last_activity_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, null, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMeeting = sqlite.prepare(
    `insert into meetings (id, team_id, owner_id, contact_id, starts_at, duration_minutes, ends_at, time_zone, location, goal,
       questions, status, source_view_id, thank_you_sent_at, debriefed_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Learn how they moved into the field', '• What does a typical week look like?', 'scheduled', null, null, ?, ?, ?)`,
  );
  const insertReminder = sqlite.prepare(
    `insert into reminders (team_id, owner_id, meeting_id, kind, due_at, planned_due_at, delivery_key, state, attempts, check_before_send, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?)`,
  );
  const counts = { contacts: 0, meetings: 0, reminders: 0, history: 0 };
  const plans = new Map<string, WantedReminder[]>();
  const addContact = (user: number, meeting: 'none' | 'ahead' | 'any') => {
    const id = ++counts.contacts;
    const team = teamId(user % spec.workspaces);
    const owner = userId(user);
    const first = pick(FIRST);
    const last =
      random() < 0.2 ? `${pick(SYLLABLES)}${pick(SYLLABLES)}`.replace(/^./, (c) => c.toUpperCase()) : pick(LAST);
    const name = `${first} ${last}`;
    const company = random() < 0.15 ? null : (companies[Math.floor(companies.length * random() ** 3)] as string);
    const title = random() < 0.2 ? null : pick(TITLES);
    const tags = random() < 0.5 ? [] : [...new Set([pick(TAGS), pick(TAGS)])];
    const pronunciation = random() < 0.08 ? `${pick(SYLLABLES)}-${pick(SYLLABLES).toUpperCase()}` : null;
    const activity = toDbInstant(new Date(now - random() * 730 * DAY));
    insertContact.run(
      id,
      team,
      owner,
      name,
      pronunciation,
      title,
      company,
      random() < 0.6 ? `${first.toLowerCase()}@example.com` : null,
      random() < 0.3 ? pick(ZONES) : null,
      random() < 0.4 ? 'Met at a meetup' : null,
      tags.join(','),
      random() < 0.3 ? 'Talked about the move into product.' : null,
      contactNameKey(name, company),
      contactSearchText({ name, pronunciation, title, company, tags }),
      activity,
      activity,
      activity,
    );
    if (meeting === 'none') return;
    const mid = ++counts.meetings;
    const zone = zoneOf(user);
    // On the half hour; ahead: 2 to 46 days (the report-back 14 days after is due within 60); any: a year ago to 2 months ahead.
    const offset = meeting === 'ahead' ? 2 * DAY + random() * 44 * DAY : -365 * DAY + random() * 425 * DAY;
    const startsAt = new Date(Math.ceil((now + offset) / (HOUR / 2)) * (HOUR / 2));
    const duration = random() < 0.7 ? 30 : 45;
    const ended = startsAt.getTime() + duration * 60_000;
    const debriefed = ended < now && random() < 0.75 ? toDbInstant(new Date(ended + HOUR)) : null;
    insertMeeting.run(
      mid,
      team,
      owner,
      id,
      toDbInstant(startsAt),
      duration,
      toDbInstant(new Date(startsAt.getTime() + duration * 60_000)),
      zone,
      random() < 0.6 ? `https://zoom.us/j/${mid}` : '221B Baker Street, London',
      debriefed,
      nowIso,
      nowIso,
    );
    // Planning is luxon-heavy: meetings of one zone, start and length share their plan.
    const key = `${zone}|${startsAt.getTime()}|${duration}`;
    let plan = plans.get(key);
    if (plan === undefined) {
      const facts = {
        startsAt,
        durationMinutes: duration,
        status: 'scheduled' as const,
        thankYouSentAt: null,
        debriefedAt: null,
        reportedBackAt: null,
        thankYouSnoozedUntil: null,
      };
      plan = planMeeting(facts, { settings: DEFAULT_REMINDER_SETTINGS, zone, stopped: null }, spec.now).wanted.filter(
        (r) => r.dueAt.getTime() > now,
      );
      plans.set(key, plan);
    }
    for (const planned of plan) {
      if (spec.reminders !== undefined && counts.reminders >= spec.reminders) break;
      const due = toDbInstant(planned.dueAt);
      insertReminder.run(team, owner, mid, planned.kind, due, due, planned.key, nowIso, nowIso);
      counts.reminders++;
    }
  };
  sqlite.transaction(() => {
    for (let user = 0; user < spec.users; user++) {
      const workspace = user % spec.workspaces;
      insertUser.run(teamId(workspace), userId(user), zoneOf(user), nowIso, dmChannelOf(workspace, user), nowIso);
    }
    const others = spec.contacts ?? Math.ceil((spec.reminders ?? 0) / 5);
    const heavy = spec.heavyContacts ?? 0;
    const heavyMeetings = spec.heavyMeetings ?? 0;
    let heavyDone = 0;
    for (let i = 0; i < others; i++) {
      // The heavy user's rows come evenly among everyone else's, in creation order.
      for (; heavyDone < Math.floor(((i + 1) * heavy) / others); heavyDone++)
        addContact(0, heavyDone < heavyMeetings ? 'any' : 'none');
      const user = spec.users > 1 ? 1 + (i % (spec.users - 1)) : 0;
      addContact(user, spec.contacts === undefined ? 'ahead' : random() < (spec.meetingShare ?? 0) ? 'any' : 'none');
      if (spec.reminders !== undefined && counts.reminders >= spec.reminders) break;
    }
    for (; heavyDone < heavy; heavyDone++) addContact(0, heavyDone < heavyMeetings ? 'any' : 'none');
    const after = { prep: -DAY, heads_up: -HOUR, debrief: HOUR, thank_you: 3 * HOUR, thank_you_followup: 18 * HOUR };
    const insertPast = sqlite.prepare(insertReminder.source.replace("'pending', 0", '?, 1'));
    const [people, months] = [spec.historyUsers ?? 1, spec.historyMonths ?? 0];
    // In time order, as production makes them; sent (the second thank-you skipped), pending while still to come.
    for (let i = 0, total = people * 2 * months; i < total; i++) {
      const u = 1 + (i % people);
      const start = now - 30 * DAY * months * (1 - (i + random()) / total);
      const [team, mid] = [teamId(u % spec.workspaces), ++counts.meetings];
      addContact(u, 'none');
      const [key, end] = [toDbInstant(new Date(start)), toDbInstant(new Date(start + HOUR / 2))];
      insertMeeting.run(mid, team, userId(u), counts.contacts, key, 30, end, zoneOf(u), null, null, nowIso, nowIso);
      for (const [kind, offset] of Object.entries({ ...after, report_back: 14 * DAY })) {
        const [due, done] = [toDbInstant(new Date(start + offset)), start + offset < now];
        const state = !done ? 'pending' : kind === 'thank_you_followup' ? 'skipped' : 'sent';
        insertPast.run(team, userId(u), mid, kind, due, due, key, state, nowIso, nowIso);
        counts.history++;
      }
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return { users: spec.users, ...counts, seconds: (performance.now() - started) / 1000 };
}

/** Migrates a new database at `path` and loads the data set into it in a child process (this file). */
export function loadInChild(path: string, spec: LoadSpec): Promise<LoadResult> {
  const child = fork(join(import.meta.dirname, 'data.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_LOAD_SPEC: JSON.stringify({ ...spec, now: spec.now.toISOString(), path }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as LoadResult));
    child.once('exit', (code) => reject(new Error(`the loader exited (${code}) without a result`)));
  });
}

if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const spec = JSON.parse(process.env.BENCH_LOAD_SPEC ?? '{}') as LoadSpec & { now: string; path: string };
  const migrating = openDatabase(spec.path);
  await migrateToLatest(migrating);
  await migrating.destroy();
  const result = loadDataset(spec.path, { ...spec, now: new Date(spec.now) });
  process.send(result, () => process.exit(0));
}

/** The statements `call` issues on the SQLite file at `path` (from Kysely's log), and their query plans' lines. */
export async function explainSqlite(path: string, call: (db: Kysely<Database>) => Promise<unknown>) {
  const sqlite = new SQLite(path, { timeout: 5000 });
  const captured: CompiledQuery[] = [];
  const spy = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => void captured.push(event.query),
  });
  try {
    await call(spy);
    return captured.flatMap((q) =>
      (sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map(
        (row) => row.detail,
      ),
    );
  } finally {
    await spy.destroy();
  }
}

/** Picks `count` pending reminders not picked before (one a meeting; optionally one a user), deterministically. */
export function pickReminders(
  raw: SQLite.Database,
  count: number,
  used: Set<number>,
  random: () => number,
  onePerUser: boolean,
) {
  // Pending ids only: with months of history most ids are sent, skipped or pruned.
  const ids = raw.prepare("select id from reminders where state = 'pending'").pluck().all() as number[];
  const rowOf = raw.prepare("select team_id, owner_id, meeting_id from reminders where id = ? and state = 'pending'");
  const owners = new Set<string>();
  const meetings = new Set<number>();
  const picked: { id: number; teamId: string; userId: string }[] = [];
  for (let guard = 0; picked.length < count && guard < count * 50; guard++) {
    const id = ids[Math.floor(random() * ids.length)] ?? -1;
    const row = rowOf.get(used.has(id) ? -1 : id) as
      | { team_id: string; owner_id: string; meeting_id: number }
      | undefined;
    if (!row || meetings.has(row.meeting_id)) continue;
    if (onePerUser && owners.has(`${row.team_id}/${row.owner_id}`)) continue;
    used.add(id);
    owners.add(`${row.team_id}/${row.owner_id}`);
    meetings.add(row.meeting_id);
    picked.push({ id, teamId: row.team_id, userId: row.owner_id });
  }
  if (picked.length < count) throw new Error(`could only pick ${picked.length} of ${count} reminders`);
  return picked;
}

/**
 * Makes the picked reminders due at `dueAt(i)` by moving each one's meeting so that the plan itself wants that
 * reminder then (the engine decides from the facts, not from `due_at`), and gives their users no quiet hours, so the
 * hour the bench runs at does not hold some until morning.
 */
export function makeDue(
  raw: SQLite.Database,
  picked: { id: number; teamId: string; userId: string }[],
  dueAt: (index: number) => Date,
  nowIso: string,
) {
  const rowOf = raw.prepare(
    'select r.kind, r.meeting_id, m.duration_minutes from reminders r join meetings m on m.id = r.meeting_id where r.id = ?',
  );
  const setDue = raw.prepare('update reminders set due_at = ?, planned_due_at = ?, delivery_key = ? where id = ?');
  const moveMeeting = raw.prepare(
    'update meetings set starts_at = ?, ends_at = ?, thank_you_snoozed_until = ? where id = ?',
  );
  const noQuiet = raw.prepare(
    `insert into reminder_settings (team_id, user_id, prep_lead_minutes, heads_up_lead_minutes, quiet_start, quiet_end, disabled_kinds, updated_at)
     values (?, ?, 1440, 60, '00:00', '00:00', '', ?) on conflict (team_id, user_id) do update set quiet_start = '00:00', quiet_end = '00:00', prep_lead_minutes = 1440, heads_up_lead_minutes = 60, disabled_kinds = ''`,
  );
  const minute = 60_000;
  raw
    .transaction(() => {
      picked.forEach((reminder, index) => {
        const due = dueAt(index).getTime();
        const row = rowOf.get(reminder.id) as { kind: string; meeting_id: number; duration_minutes: number };
        const length = row.duration_minutes * minute;
        const start = {
          prep: due + 1440 * minute,
          heads_up: due + 60 * minute,
          debrief: due - 10 * minute - length,
          thank_you: due - 120 * minute - length,
          thank_you_followup: due - 120 * minute - length,
          report_back: due - 14 * 1440 * minute,
        }[row.kind];
        if (start === undefined) throw new Error(`makeDue: no rule for ${row.kind}`);
        const startIso = toDbInstant(new Date(start));
        const snoozed = row.kind === 'thank_you_followup' ? toDbInstant(new Date(due)) : null;
        moveMeeting.run(startIso, toDbInstant(new Date(start + length)), snoozed, row.meeting_id);
        const dueIso = toDbInstant(new Date(due));
        setDue.run(dueIso, dueIso, snoozed ? `${startIso}|${snoozed}` : startIso, reminder.id);
        noQuiet.run(reminder.teamId, reminder.userId, nowIso);
      });
    })
    .immediate(); // the app (another connection) may be writing meanwhile
}
