import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppProcess, startProductionApp } from '../../bench/harness/children.js';
import { loadInChild, makeDue, pickReminders, seededRandom } from '../../bench/harness/data.js';
import { RateLimitedFakeSlack } from '../../bench/harness/rate-limited-fake-slack.js';
import { migrations } from '../../migrations/index.js';
import { copyDatabase } from '../../src/db/copy-database.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { toDbInstant } from '../../src/lib/zoned-time.js';
import { testDatabaseUrl, testDialect } from '../support/test-database.js';

// Issue 15: three replicas (`node dist/main.js`, HTTP mode) on one PostgreSQL database deliver a wave of 10,000
// reminders of 20 workspaces against a fake Slack that enforces its limits (one post a second per DM channel, a few
// hundred a minute per workspace); one replica is killed with SIGKILL halfway and started again. Every reminder is
// posted exactly once, no post is refused for a limit, and what the killed replica held is posted within 2 minutes.

const WAVE = 10_000;
const WORKSPACES = 20;
const LIMITS = { channelPerSecond: 1, channelBurst: 2, workspacePerMinute: 300, workspaceBurst: 10 };

let fake: RateLimitedFakeSlack | undefined;
const replicas: AppProcess[] = [];
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.crash()));
  await fake?.stop();
});

/** Resolves once `condition` holds, checking it every `everyMs`; rejects after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe.runIf(testDialect() === 'postgres')('three replicas on one PostgreSQL database', () => {
  it('five replicas started at once on an empty database: the schema is made once, and every replica serves', async () => {
    const url = await testDatabaseUrl({ empty: true });
    const slack = await RateLimitedFakeSlack.start(LIMITS);
    try {
      const five = await Promise.all(
        Array.from({ length: 5 }, () =>
          startProductionApp({
            SLACK_BOT_TOKEN: 'xoxb-replicas',
            SLACK_SIGNING_SECRET: 'replicas',
            SLACK_API_URL: slack.apiUrl,
            DATABASE_URL: url,
            DATABASE_POOL_SIZE: '2',
          }),
        ),
      );
      replicas.push(...five);
      for (const replica of five) {
        const ready = await fetch(`${replica.url}/readyz`);
        expect(ready.status).toBe(200);
      }
      const db = openDatabase(url);
      const applied = await db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      expect(applied).toHaveLength(Object.keys(migrations).length);
      await db.destroy();
      await Promise.all(five.map((replica) => replica.stop()));
      replicas.length = 0;
    } finally {
      await slack.stop();
    }
  });

  it('deliver 10,000 reminders of 20 workspaces exactly once within Slack’s limits, through a SIGKILL', async () => {
    // The wave, made in SQLite by the benchmarks' loader (the app's own plan for every meeting), copied to PostgreSQL
    // with the copy command's code.
    const dir = mkdtempSync(join(tmpdir(), 'infoview-replicas-'));
    const staging = join(dir, 'wave.sqlite');
    const migrating = openDatabase(staging);
    await migrateToLatest(migrating);
    await migrating.destroy();
    const now = new Date();
    await loadInChild(staging, { users: 6_000, reminders: 90_000, workspaces: WORKSPACES, now, seed: 15 });
    const raw = new SQLite(staging);
    const picked = pickReminders(raw, WAVE, new Set(), seededRandom(15), false);
    makeDue(raw, picked, () => new Date(now.getTime() - 1000), toDbInstant(now));
    raw.close();
    const url = await testDatabaseUrl();
    const from = openDatabase(staging);
    const to = openDatabase(url);
    await copyDatabase(from, to);
    await from.destroy();

    fake = await RateLimitedFakeSlack.start(LIMITS);
    const start = () =>
      startProductionApp({
        SLACK_BOT_TOKEN: 'xoxb-replicas',
        SLACK_SIGNING_SECRET: 'replicas',
        SLACK_API_URL: (fake as RateLimitedFakeSlack).apiUrl,
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: '4',
      });
    replicas.push(...(await Promise.all([start(), start(), start()])));
    const started = Date.now();

    const posted = () => new Set(fake?.posts.map((post) => post.reminderId)).size;
    await until(() => posted() >= WAVE / 3, 300_000, 'a third of the wave');

    // SIGKILL one replica mid-wave: what it had claimed (its workspaces' sender leases say which) waits for leases to
    // run out, then another replica takes it over.
    const victim = replicas[1] as AppProcess;
    await victim.crash();
    const killedAt = Date.now();
    const heldTeams = (
      await to.selectFrom('leases').select('name').where('holder', 'like', `%:${victim.pid}:%`).execute()
    ).map((row) => row.name.slice('send:'.length));
    const orphans =
      heldTeams.length === 0
        ? []
        : (
            await to
              .selectFrom('reminders')
              .select('id')
              .where('state', '=', 'claimed')
              .where('team_id', 'in', heldTeams)
              .execute()
          ).map((row) => row.id);
    replicas[1] = await start();

    const wave = new Set(picked.map((reminder) => reminder.id));
    await until(
      () => [...wave].every((id) => fake?.posts.some((post) => post.reminderId === id)),
      600_000,
      'the whole wave',
      1000,
    );
    await until(
      async () => {
        const { n } = await to
          .selectFrom('reminders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'sent')
          .executeTakeFirstOrThrow();
        return Number(n) >= WAVE;
      },
      60_000,
      'every post recorded',
    );
    const seconds = (Date.now() - started) / 1000;

    const times = new Map<number, number>();
    const counts = new Map<number, number>();
    for (const post of fake.posts) {
      counts.set(post.reminderId, (counts.get(post.reminderId) ?? 0) + 1);
      if (!times.has(post.reminderId)) times.set(post.reminderId, post.at);
    }
    const doubled = [...counts.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    const strays = [...counts.keys()].filter((id) => !wave.has(id));
    expect({ doubled, strays, refused: fake.rateLimited.length }).toEqual({ doubled: [], strays: [], refused: 0 });
    expect(counts.size).toBe(WAVE);
    // The killed replica had work in hand, and all of it went out within 2 minutes of the kill.
    expect(heldTeams.length).toBeGreaterThan(0);
    expect(orphans.length).toBeGreaterThan(0);
    const lateOrphans = orphans
      .filter((id) => (times.get(id) ?? Infinity) > killedAt + 120_000)
      .map((id) => ({ id, seconds: ((times.get(id) ?? Infinity) - killedAt) / 1000 }));
    // When late, how each workspace's share went (a takeover posted first, or spread behind its backlog?).
    const afterKill = (ids: number[]) => ids.map((id) => ((times.get(id) ?? Infinity) - killedAt) / 1000);
    const byWorkspace = heldTeams.map((team) => {
      const mine = afterKill(orphans.filter((id) => fake?.posts.find((post) => post.reminderId === id)?.team === team));
      return `${team}: ${mine.length} posted ${Math.min(...mine).toFixed(0)}–${Math.max(...mine).toFixed(0)} s`;
    });
    expect(lateOrphans, byWorkspace.join('; ')).toEqual([]);
    // Each DM channel got at most one post a second, each workspace at most its budget (the fake refused none).
    const rows = await to
      .selectFrom('reminders')
      .select(['state'])
      .where('id', 'in', [...wave].slice(0, 1))
      .execute();
    expect(rows[0]?.state).toBe('sent');
    await to.destroy();
    console.log(
      `replicas: ${WAVE} posted once in ${seconds.toFixed(0)} s; ${orphans.length} claimed by the killed replica (${heldTeams.length} workspaces), posted ${((Math.min(...orphans.map((id) => times.get(id) ?? 0)) - killedAt) / 1000).toFixed(0)}–${((Math.max(...orphans.map((id) => times.get(id) ?? 0)) - killedAt) / 1000).toFixed(0)} s after the kill`,
    );
  }, 900_000);
});
