import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { markWorkspaceUninstalled } from '../../src/db/repositories/workspaces-repository.js';
import { logAsks, openCentre, share, TEAM, weeksBefore } from '../support/cohort-seed.js';
import { type Harness, startHarness } from '../support/harness.js';
import { testDatabaseUrl } from '../support/test-database.js';

// The Monday chart: from the engine's housekeeping, once per advisor and week, on both databases.

const MONDAY = '2026-12-07';
const WEEKS = weeksBefore(MONDAY, 8);
/** Knows nobody in the cohort (UTC: no zone stored). */
const ADVISOR = 'UADV1';
/** Knows nobody either, in New York (08:00 there is 13:00 UTC in December). */
const NEW_YORK = 'UADV2';
/** Everyone shares with this one. */
const CASELOAD = 'UADV3';

const harnesses: Harness[] = [];

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});

async function start(now: string, databaseUrl?: string): Promise<Harness> {
  const h = await startHarness({ now, ...(databaseUrl ? { databaseUrl } : {}) });
  harnesses.push(h);
  return h;
}

async function seed(h: Harness, people = 10) {
  await openCentre(h.db, [ADVISOR, NEW_YORK, CASELOAD]);
  await saveTimeZone(h.db, { teamId: TEAM, userId: NEW_YORK }, 'America/New_York', '2026-09-01T00:00:00.000Z');
  for (let i = 1; i <= people; i += 1) {
    const person = `UP${String(i).padStart(2, '0')}`;
    await share(h.db, person, [CASELOAD]);
    for (const week of WEEKS) await logAsks(h.db, person, week, 2, '2026-10-01T00:00:00.000Z');
  }
}

/** The PNGs shared in each DM, across every fake Slack given. */
function charts(all: Harness[], channel: string) {
  return all.flatMap((h) => h.fake.filesIn(channel).filter((file) => file.filename.endsWith('.png')));
}

/** The files.completeUploadExternal calls into `channel`. */
function completedIn(h: Harness, channel: string) {
  return h.fake.callsTo('files.completeUploadExternal').filter((call) => call.body.channel_id === channel);
}

async function rows(h: Harness) {
  return h.db
    .selectFrom('advisor_charts')
    .select(['advisor_id', 'week_start', 'state', 'claims', 'file_id'])
    .orderBy('advisor_id')
    .execute();
}

describe('the Monday chart', () => {
  it('goes to each advisor once, from 08:00 in their zone, with the figures as text and alt text', async () => {
    const h = await start(`${MONDAY}T07:59:00Z`);
    await seed(h);
    await h.infoview.housekeeping();
    expect(h.fake.callsTo('files.getUploadURLExternal')).toEqual([]);

    h.clock.set(`${MONDAY}T08:00:00Z`);
    await h.infoview.housekeeping();
    await h.infoview.housekeeping();
    expect(charts([h], 'DADV1')).toHaveLength(1);
    expect(charts([h], 'DADV3')).toHaveLength(1);
    expect(charts([h], 'DADV2')).toHaveLength(0);
    const [chart] = charts([h], 'DADV1');
    expect(chart?.content.length).toBeGreaterThan(1000);
    expect(chart?.comment).toContain('Week of 12 Oct: asks sent 20, replies 20, conversations held not shown');
    expect(chart?.comment).not.toContain('MARKER');
    const slot = h.fake.callsTo('files.getUploadURLExternal')[0];
    expect(String(slot?.body.alt_text)).toContain('asks sent 20');
    expect(String(slot?.body.alt_text)).not.toContain('MARKER');

    h.clock.set(`${MONDAY}T13:00:00Z`);
    await h.infoview.housekeeping();
    // Tuesday, and the Monday after's 07:00 (UTC): still one each.
    h.clock.set('2026-12-08T09:00:00Z');
    await h.infoview.housekeeping();
    h.clock.set('2026-12-14T07:00:00Z');
    await h.infoview.housekeeping();
    for (const channel of ['DADV1', 'DADV2', 'DADV3']) expect(charts([h], channel)).toHaveLength(1);
    expect((await rows(h)).map((r) => [r.advisor_id, r.week_start, r.state, r.claims])).toEqual([
      [ADVISOR, MONDAY, 'sent', 1],
      [NEW_YORK, MONDAY, 'sent', 1],
      [CASELOAD, MONDAY, 'sent', 1],
    ]);
    // No channel, ever: only the advisors' DMs.
    expect(h.fake.callsTo('files.completeUploadExternal').map((c) => c.body.channel_id)).toEqual([
      'DADV1',
      'DADV3',
      'DADV2',
    ]);
  });

  it('is not sent for a cohort under k', async () => {
    const h = await start(`${MONDAY}T09:00:00Z`);
    await seed(h, 9);
    await h.infoview.housekeeping();
    expect(h.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    // UADV2's Monday 08:00 has not come in New York.
    expect((await rows(h)).map((r) => [r.advisor_id, r.state])).toEqual([
      [ADVISOR, 'skipped'],
      [CASELOAD, 'skipped'],
    ]);
  });

  it('is not sent once the workspace uninstalled the app', async () => {
    const h = await start(`${MONDAY}T09:00:00Z`);
    await seed(h);
    await markWorkspaceUninstalled(h.db, TEAM, '2026-12-07T08:30:00.000Z', '2027-01-06T08:30:00.000Z');
    await h.infoview.housekeeping();
    expect(h.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(await rows(h)).toEqual([]);
  });

  it('two replicas on one database, running at once, send one chart per advisor', async () => {
    const url = await testDatabaseUrl({
      sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-charts-')), 'db.sqlite'),
    });
    const one = await start(`${MONDAY}T09:00:00Z`, url);
    const two = await start(`${MONDAY}T09:00:00Z`, url);
    await seed(one);
    await Promise.all([one.infoview.housekeeping(), two.infoview.housekeeping(), one.infoview.housekeeping()]);
    await Promise.all([one.infoview.housekeeping(), two.infoview.housekeeping()]);
    expect(charts([one, two], 'DADV1')).toHaveLength(1);
    expect(charts([one, two], 'DADV3')).toHaveLength(1);
    const uploads = [one, two].flatMap((h) => h.fake.callsTo('files.getUploadURLExternal'));
    expect(uploads).toHaveLength(2);
  });

  it('an upload Slack stored but answered with an error is found and not sent twice', async () => {
    const h = await start(`${MONDAY}T09:00:00Z`);
    await seed(h);
    // The first upload completed is UADV1's (advisors go in order); UADV2's 08:00 has not come in New York.
    h.fake.landsThenAnswers('files.completeUploadExternal');
    await h.infoview.housekeeping();
    expect(charts([h], 'DADV1')).toHaveLength(1);
    const [unsure] = (await rows(h)).filter((r) => r.advisor_id === ADVISOR);
    expect(unsure).toMatchObject({ state: 'claimed', claims: 1 });
    expect(unsure?.file_id).toBeTruthy();
    // Before the retry time nothing happens; after it, files.info finds the file in the DM.
    await h.infoview.housekeeping();
    expect(h.fake.callsTo('files.info')).toEqual([]);
    h.clock.set(`${MONDAY}T09:02:00Z`);
    await h.infoview.housekeeping();
    expect(h.fake.callsTo('files.info')).toHaveLength(1);
    expect(charts([h], 'DADV1')).toHaveLength(1);
    expect(completedIn(h, 'DADV1')).toHaveLength(1);
    expect((await rows(h)).map((r) => [r.advisor_id, r.state, r.claims])).toEqual([
      [ADVISOR, 'sent', 2],
      [CASELOAD, 'sent', 1],
    ]);
  });

  it('an upload Slack did not share is sent again, once', async () => {
    const h = await start(`${MONDAY}T09:00:00Z`);
    await seed(h);
    h.fake.on('files.completeUploadExternal', () => {
      h.fake.off('files.completeUploadExternal');
      return { ok: false, error: 'internal_error' };
    });
    await h.infoview.housekeeping();
    expect(charts([h], 'DADV1')).toHaveLength(0);
    h.clock.set(`${MONDAY}T09:02:00Z`);
    await h.infoview.housekeeping();
    h.clock.set(`${MONDAY}T09:04:00Z`);
    await h.infoview.housekeeping();
    expect(charts([h], 'DADV1')).toHaveLength(1);
    expect(completedIn(h, 'DADV1')).toHaveLength(2);
    expect((await rows(h)).map((r) => [r.advisor_id, r.state, r.claims])).toEqual([
      [ADVISOR, 'sent', 2],
      [CASELOAD, 'sent', 1],
    ]);
  });

  it.each([
    ['before Slack numbered a file', null],
    ['after Slack numbered a file it never received', 'F999'],
  ])('a claim left by a crash %s is taken over once its lease runs out, and sent once', async (_, fileId) => {
    const h = await start(`${MONDAY}T09:00:00Z`);
    await seed(h);
    for (const advisorId of [ADVISOR, CASELOAD])
      await h.db
        .insertInto('advisor_charts')
        .values({
          team_id: TEAM,
          advisor_id: advisorId,
          week_start: MONDAY,
          state: 'claimed',
          claims: 1,
          lease_until: `${MONDAY}T09:04:00.000Z`,
          file_id: fileId,
          sent_at: null,
          last_error: null,
          updated_at: `${MONDAY}T08:59:00.000Z`,
        })
        .execute();
    await h.infoview.housekeeping();
    expect(h.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    h.clock.set(`${MONDAY}T09:05:00Z`);
    await h.infoview.housekeeping();
    await h.infoview.housekeeping();
    expect(charts([h], 'DADV1')).toHaveLength(1);
    expect(charts([h], 'DADV3')).toHaveLength(1);
    expect((await rows(h)).map((r) => [r.advisor_id, r.state, r.claims])).toEqual([
      [ADVISOR, 'sent', 2],
      [CASELOAD, 'sent', 2],
    ]);
  });

  it('with OAuth installs, goes out with the workspace’s own token', async () => {
    const h = await startHarness({
      now: `${MONDAY}T09:00:00Z`,
      oauth: {
        SLACK_CLIENT_ID: '1111.2222',
        SLACK_CLIENT_SECRET: 'client-secret-for-tests',
        SLACK_STATE_SECRET: 'state-secret-for-the-tests-0123',
        INFOVIEW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
    });
    harnesses.push(h);
    await h.deps.installations?.storeInstallation({
      team: { id: TEAM, name: 'Northside Careers' },
      enterprise: undefined,
      user: { id: 'UADMIN', token: undefined, scopes: undefined },
      bot: { token: 'xoxb-T0001-oauth', scopes: ['files:write'], id: 'B1', userId: 'UBOT' },
      appId: 'A0001',
      isEnterpriseInstall: false,
      authVersion: 'v2',
    });
    await seed(h);
    await h.infoview.housekeeping();
    expect(charts([h], 'DADV1')).toHaveLength(1);
    expect(
      ['files.getUploadURLExternal', 'files.completeUploadExternal'].flatMap((method) =>
        h.fake.callsTo(method).map((call) => call.authorization),
      ),
    ).toEqual(Array(4).fill('Bearer xoxb-T0001-oauth'));
  });
});
