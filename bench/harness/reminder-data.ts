import SQLite from 'better-sqlite3';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_REMINDER_SETTINGS,
  planMeeting,
  type WantedReminder,
} from '../../src/domain/reminders/reminder-plan.js';
import { toDbInstant } from '../../src/lib/zoned-time.js';
import { seededRandom } from './seeded-random.js';

/*
 * Bulk data for bench/reminders.ts: users spread over workspaces, each with one or two meetings (one contact each),
 * every meeting with the six reminders the app itself plans for it (planMeeting, default settings, the user's zone),
 * all pending, with the delivery keys the planner gives. Written with better-sqlite3 directly in one transaction of prepared statements, into a
 * database that the app's own migrations created. bench/reminders.ts runs it in a child process of its own, so the
 * garbage of a million rows is not in the heap of the process that measures ticks.
 */

/** Zones users are spread over: both hemispheres, whole and half-hour offsets. */
export const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Lagos',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
] as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const teamId = (workspace: number) => `T${String(workspace).padStart(3, '0')}`;
export const userId = (user: number) => `U${String(user).padStart(6, '0')}`;
/** The app DM channel of a user: the workspace is in the id, so the fake can apply per-workspace limits. */
export const dmChannelOf = (workspace: number, user: number) =>
  `D${String(workspace).padStart(3, '0')}${String(user).padStart(6, '0')}`;
export const teamOfChannel = (channel: string) => `T${channel.slice(1, 4)}`;

export interface LoadSpec {
  users: number;
  reminders: number;
  workspaces: number;
  /** The instant the data is planned at: every reminder is due after it. */
  now: Date;
  seed: number;
}

export interface LoadResult {
  users: number;
  contacts: number;
  meetings: number;
  reminders: number;
  seconds: number;
  dueFirst: string;
  dueLast: string;
}

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Barbara',
  'Edsger',
  'Frances',
  'Donald',
  'Radia',
  'Ken',
  'Margaret',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Liskov',
  'Dijkstra',
  'Allen',
  'Knuth',
  'Perlman',
  'Thompson',
  'Hamilton',
];
const COMPANIES = [
  'Engines Ltd',
  'Navy Labs',
  'Bletchley',
  'NASA',
  'Kernel Co',
  'MIT',
  'Eindhoven',
  'IBM',
  'Stanford',
  'DEC',
  'Bell Labs',
  'Draper',
];
const TITLES = [
  'Staff Engineer',
  'Product Manager',
  'Data Analyst',
  'Design Lead',
  'Engineering Manager',
  'Researcher',
];

/** Loads the data set into the migrated database at `path`. Synchronous; the whole load is one transaction. */
export function loadDataset(path: string, spec: LoadSpec): LoadResult {
  const started = performance.now();
  const random = seededRandom(spec.seed);
  const sqlite = new SQLite(path);
  // Only for the load: a big page cache so index inserts in random key order do not thrash.
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('synchronous = OFF');
  const nowMs = spec.now.getTime();
  const nowIso = toDbInstant(spec.now);
  const zoneOf = (user: number) => ZONES[(user * 7 + Math.floor(user / ZONES.length)) % ZONES.length] as string;

  const insertUser = sqlite.prepare(
    'insert into slack_users (team_id, user_id, time_zone, time_zone_checked_at, dm_channel_id, created_at) values (?, ?, ?, ?, ?, ?)',
  );
  const insertContact = sqlite.prepare(
    `insert into contacts (id, team_id, owner_id, name, pronunciation, title, company, email, profile_url, time_zone, how_met,
       referred_by_id, tags, notes, name_key, search_text, last_activity_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, null, ?, null, ?, ?, ?, ?, ?)`,
  );
  const insertMeeting = sqlite.prepare(
    `insert into meetings (id, team_id, owner_id, contact_id, starts_at, duration_minutes, ends_at, time_zone, location, goal,
       questions, status, source_view_id, thank_you_sent_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', null, null, ?, ?)`,
  );
  const insertReminder = sqlite.prepare(
    `insert into reminders (team_id, owner_id, meeting_id, kind, due_at, planned_due_at, delivery_key, state, attempts, check_before_send, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?)`,
  );

  let meetings = 0;
  let reminders = 0;
  let dueFirst = '9999';
  let dueLast = '';
  const plans = new Map<string, WantedReminder[]>();
  sqlite.transaction(() => {
    for (let user = 0; user < spec.users; user++) {
      const workspace = user % spec.workspaces;
      insertUser.run(teamId(workspace), userId(user), zoneOf(user), nowIso, dmChannelOf(workspace, user), nowIso);
    }
    while (reminders < spec.reminders) {
      const id = meetings + 1;
      const user = meetings % spec.users;
      const team = teamId(user % spec.workspaces);
      const owner = userId(user);
      const zone = zoneOf(user);
      // Meetings start on the half hour, 2 to 46 days ahead, so the report-back nudge (14 days after) is due within
      // 60 days and the prep tip (a day before, or the evening before) is never due yet.
      const startsAt = new Date(Math.ceil((nowMs + 2 * DAY + random() * 44 * DAY) / (HOUR / 2)) * (HOUR / 2));
      const duration = random() < 0.7 ? 30 : 45;
      const first = FIRST[Math.floor(random() * FIRST.length)] as string;
      const last = LAST[Math.floor(random() * LAST.length)] as string;
      const company = COMPANIES[Math.floor(random() * COMPANIES.length)] as string;
      const title = TITLES[Math.floor(random() * TITLES.length)] as string;
      const name = `${first} ${last}`;
      insertContact.run(
        id,
        team,
        owner,
        name,
        random() < 0.3 ? `${first.toUpperCase()}-${last.toLowerCase()}` : null,
        title,
        company,
        `${first.toLowerCase()}@example.com`,
        ZONES[Math.floor(random() * ZONES.length)],
        'Met at a meetup',
        'bench,network',
        `${name.toLowerCase()}|${company.toLowerCase()}`,
        `${name} ${title} ${company}`.toLowerCase(),
        nowIso,
        nowIso,
        nowIso,
      );
      insertMeeting.run(
        id,
        team,
        owner,
        id,
        toDbInstant(startsAt),
        duration,
        toDbInstant(new Date(startsAt.getTime() + duration * 60_000)),
        zone,
        random() < 0.6 ? `https://zoom.us/j/${id}` : '221B Baker Street, London',
        'Learn how they moved into the field',
        '• What does a typical week look like?\n• What do you wish you had known earlier?',
        nowIso,
        nowIso,
      );
      // Planning is luxon-heavy (~150 µs a meeting): meetings of one zone, start and length share their plan.
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
        plan = planMeeting(facts, { settings: DEFAULT_REMINDER_SETTINGS, zone, stopped: null }, spec.now).wanted;
        plans.set(key, plan);
      }
      for (const planned of plan) {
        if (reminders >= spec.reminders) break;
        const due = toDbInstant(planned.dueAt);
        if (due < dueFirst) dueFirst = due;
        if (due > dueLast) dueLast = due;
        insertReminder.run(team, owner, id, planned.kind, due, due, planned.key, nowIso, nowIso);
        reminders++;
      }
      meetings++;
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return {
    users: spec.users,
    contacts: meetings,
    meetings,
    reminders,
    seconds: (performance.now() - started) / 1000,
    dueFirst,
    dueLast,
  };
}

/** Loads the data set in a child process (this file), so a million rows of garbage never reach the caller's heap. */
export function loadInChild(path: string, spec: LoadSpec): Promise<LoadResult> {
  const child = fork(join(import.meta.dirname, 'reminder-data.ts'), [], {
    cwd: join(import.meta.dirname, '..'),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, REMINDERS_LOAD_SPEC: JSON.stringify({ ...spec, now: spec.now.toISOString(), path }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as LoadResult));
    child.once('exit', (code) => reject(new Error(`the loader exited (${code}) without a result`)));
  });
}

// Run as a child (fork) by loadInChild: the spec comes in the environment, the result goes back over IPC.
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const spec = JSON.parse(process.env.REMINDERS_LOAD_SPEC ?? '{}') as Omit<LoadSpec, 'now'> & {
    now: string;
    path: string;
  };
  const result = loadDataset(spec.path, { ...spec, now: new Date(spec.now) });
  process.send(result, () => process.exit(0));
}

/** Picks `count` pending reminders not picked before, optionally one per user, deterministically. */
export function pickReminders(
  raw: SQLite.Database,
  count: number,
  used: Set<number>,
  random: () => number,
  onePerUser: boolean,
) {
  const total = (raw.prepare('select max(id) as n from reminders').get() as { n: number }).n;
  const ownerOf = raw.prepare("select team_id, owner_id, meeting_id from reminders where id = ? and state = 'pending'");
  const owners = new Set<string>();
  // One reminder a meeting: makeDue moves the meeting to make its reminder due, which would move a second one too.
  const meetings = new Set<number>();
  const picked: { id: number; teamId: string; userId: string }[] = [];
  for (let guard = 0; picked.length < count && guard < count * 50; guard++) {
    const id = 1 + Math.floor(random() * total);
    if (used.has(id)) continue;
    const row = ownerOf.get(id) as { team_id: string; owner_id: string; meeting_id: number | null } | undefined;
    if (!row || row.meeting_id === null || meetings.has(row.meeting_id)) continue;
    const key = `${row.team_id}/${row.owner_id}`;
    if (onePerUser && owners.has(key)) continue;
    used.add(id);
    owners.add(key);
    meetings.add(row.meeting_id);
    picked.push({ id, teamId: row.team_id, userId: row.owner_id });
  }
  if (picked.length < count) throw new Error(`could only pick ${picked.length} of ${count} reminders`);
  return picked;
}

/**
 * Makes the picked reminders due at `dueAt(i)`, and gives their users settings without quiet hours, so the time of
 * day the bench runs at does not decide how many are held until morning (quiet hours are tested elsewhere).
 *
 * The engine decides from the facts, not from `due_at`: each picked reminder's meeting is moved so that the plan
 * itself calls for that reminder at `dueAt(i)` (its delivery key follows the new start); the thank-you follow-up is
 * made due by a snooze, as "Snooze a day" would.
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
        // When the meeting must start for the plan to want this kind at `due` (no quiet hours).
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
        const key = row.kind === 'thank_you_followup' ? `${startIso}|${snoozed}` : startIso;
        setDue.run(toDbInstant(new Date(due)), toDbInstant(new Date(due)), key, reminder.id);
        noQuiet.run(reminder.teamId, reminder.userId, nowIso);
      });
      // IMMEDIATE: the transaction reads before it writes, and the app (another connection) may be writing meanwhile.
    })
    .immediate();
}
