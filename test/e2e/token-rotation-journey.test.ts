import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import {
  installThrough,
  type Replica,
  recordRefreshes,
  scheduleFor,
  startReplica,
  tokenOf,
} from '../support/oauth-replicas.js';
import { testDatabaseUrl } from '../support/test-database.js';

// A workspace with token rotation, served by two web replicas on one database while its token is inside the refresh
// window: bursts of commands land on both at once, nothing is held, and Slack honours each refresh token once.

const START = '2026-10-29T14:00:00.000Z';
const MEETING = new Date('2026-11-03T20:00:00Z');
const PREP_DUE = '2026-11-02T20:00:00.000Z';
const USER = { teamId: 'T0001', userId: 'U0001' };

let fake: FakeSlack;
let clock: FakeClock;
const replicas: Replica[] = [];

beforeEach(async () => {
  fake = await FakeSlack.start();
  clock = new FakeClock(START);
  fake.now = () => clock.now().getTime();
});
afterEach(async () => {
  for (const replica of replicas.splice(0)) await replica.stop();
  await fake.stop();
});

/** Twenty `/infoview schedule` at once, alternating between the replicas; the tokens their forms were opened with. */
async function burst(a: Replica, b: Replica): Promise<string[]> {
  const before = fake.callsTo('views.open').length;
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).command('schedule', USER)),
  );
  expect(answers.map((res) => res.status)).toEqual(Array(20).fill(200));
  await Promise.all([a.settle(), b.settle()]);
  return fake.callsTo('views.open').slice(before).map(tokenOf);
}

describe('token rotation under load on two replicas', () => {
  it('twenty concurrent commands inside the refresh window: one refresh, and the workspace works past the original expiry', async () => {
    const refreshes = recordRefreshes(fake);
    const url = await testDatabaseUrl({
      sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-journey-')), 'db.sqlite'),
    });
    const a = await startReplica(fake, clock, url);
    replicas.push(a);
    const b = await startReplica(fake, clock, url);
    replicas.push(b);
    // Installed with a token that expires in ten minutes: every command below is inside the two-hour window.
    const grant = { token: 'xoxb-T0001-rotating', teamId: 'T0001', teamName: 'Northside Careers' };
    expect(await installThrough(a, fake, { ...grant, refreshToken: 'xoxe-1', expiresIn: 600 })).toBe(200);

    expect(await burst(a, b)).toEqual(Array(20).fill('xoxb-T0001-rotating-r'));
    expect(refreshes.calls).toEqual([{ refreshToken: 'xoxe-1', answer: 'ok' }]);

    // Past the original token's expiry: both replicas serve with the refreshed one, and refresh nothing.
    clock.advance(11 * 60_000);
    expect(await burst(a, b)).toEqual(Array(20).fill('xoxb-T0001-rotating-r'));
    expect(refreshes.calls).toHaveLength(1);

    // Four days on, the refreshed token has expired too: commands on both replicas and a reminder share one refresh.
    await scheduleFor(a, fake, clock, USER, MEETING);
    clock.set(PREP_DUE);
    const [tokens, tick] = await Promise.all([burst(a, b), a.tick()]);
    expect(tokens).toEqual(Array(20).fill('xoxb-T0001-rotating-r-r'));
    expect(tick).toMatchObject({ sent: 1 });
    expect(fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-rotating-r-r']);
    const reminders = await a.db.selectFrom('reminders').select('state').where('kind', '=', 'prep').execute();
    expect(reminders).toEqual([{ state: 'sent' }]);

    expect(refreshes.calls).toEqual([
      { refreshToken: 'xoxe-1', answer: 'ok' },
      { refreshToken: 'xoxe-1-r', answer: 'ok' },
    ]);
    expect([...a.logs, ...b.logs].filter((line) => line.includes('refresh'))).toEqual([]);
  });
});
