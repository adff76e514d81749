import type { HomeView, ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceShares, saveCentre } from '../../src/db/repositories/centre-repository.js';
import type { ShareLevel } from '../../src/db/schema.js';
import { ADVISOR_HOME } from '../../src/slack/ui/home/advisor-home-view.js';
import { COHORT_ACTIONS } from '../../src/slack/ui/home/cohort-section.js';
import { blocksOf } from '../support/blocks.js';
import { type Harness, startHarness } from '../support/harness.js';
import { buttonPress, OTHER_USER_ID, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';

// The advisor's Home through the real receiver, on both databases: who shares, their figures, the view log, the
// stages modal and forged presses. Activity is seeded with known dates; the clock is the harness's.

const NOW = '2026-12-07T14:00:00Z'; // a Monday
const ADVISOR = 'UADV1';
const THIRD = 'U0003';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: NOW });
});
afterEach(async () => {
  await h.stop();
});

async function centre(enabled = true, advisorIds = [ADVISOR]) {
  await saveCentre(h.db, TEAM_ID, { enabled, minCohort: 10, advisorIds }, 'UADMIN', h.clock.now().toISOString());
}

/** Shares begin before any activity these tests write, unless `since` says otherwise. */
const LONG_AGO = '2026-01-05T09:00:00.000Z';

async function share(userId: string, level: ShareLevel | null, teamId = TEAM_ID, since = LONG_AGO) {
  await replaceShares(h.db, { teamId, userId }, level === null ? [] : [{ advisorId: ADVISOR, level }], since);
}

const iso = (text: string) => new Date(text).toISOString();

/** A contact of `userId`, every text field carrying `mark`; `referredBy` makes it a referral. */
async function contact(userId: string, mark: string, at: string, referredBy: number | null = null) {
  const row = await h.db
    .insertInto('contacts')
    .values({
      team_id: TEAM_ID,
      owner_id: userId,
      name: `${mark}-NAME`,
      pronunciation: `${mark}-SAY`,
      title: `${mark}-TITLE`,
      company: `${mark}-COMPANY`,
      email: `${mark.toLowerCase()}@example.com`,
      profile_url: `https://example.com/${mark}`,
      how_met: `${mark}-HOWMET`,
      tags: `${mark}-TAG`,
      notes: `${mark}-NOTE`,
      referred_by_id: referredBy,
      name_key: `${mark}|`,
      search_text: mark,
      last_activity_at: iso(at),
      created_at: iso(at),
      updated_at: iso(at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function ask(
  userId: string,
  contactId: number,
  mark: string,
  sentOn: string,
  status: 'waiting' | 'replied' | 'declined',
  closedAt: string | null = null,
) {
  await h.db
    .insertInto('asks')
    .values({
      team_id: TEAM_ID,
      owner_id: userId,
      contact_id: contactId,
      channel: 'email',
      sent_on: sentOn,
      purpose: `${mark}-PURPOSE`,
      draft: `${mark}-ASKDRAFT`,
      status,
      followed_up_at: null,
      closed_at: closedAt === null ? null : iso(closedAt),
      source_view_id: null,
      created_at: iso(`${sentOn}T09:00:00Z`),
      updated_at: iso(`${sentOn}T09:00:00Z`),
    })
    .execute();
}

async function meeting(
  userId: string,
  contactId: number,
  mark: string,
  startsAt: string,
  done: { thankYou?: string; reportedBack?: string; debriefed?: string } = {},
) {
  const start = new Date(startsAt);
  const row = await h.db
    .insertInto('meetings')
    .values({
      team_id: TEAM_ID,
      owner_id: userId,
      contact_id: contactId,
      starts_at: start.toISOString(),
      duration_minutes: 30,
      ends_at: new Date(start.getTime() + 1_800_000).toISOString(),
      time_zone: 'UTC',
      location: `${mark}-PLACE`,
      goal: `${mark}-GOAL`,
      questions: `${mark}-QUESTION`,
      status: 'scheduled',
      source_view_id: null,
      thank_you_sent_at: done.thankYou ? iso(done.thankYou) : null,
      debriefed_at: done.debriefed ? iso(done.debriefed) : null,
      reported_back_at: done.reportedBack ? iso(done.reportedBack) : null,
      thank_you_draft: `${mark}-THANKS`,
      report_back_draft: `${mark}-REPORTBACK`,
      created_at: start.toISOString(),
      updated_at: start.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * USER_ID's activity: in the last 4 weeks (from 2026-11-10) 2 asks (one replied), 1 conversation thanked within a
 * day and reported back, 1 referral; before that 1 ask declined and 1 conversation thanked late. One ask waits since
 * 2026-11-24: 9 business days, its follow-up overdue. Last activity: the report-back on 2026-12-01.
 */
async function typicalActivity(userId: string, mark = 'M') {
  const c = await contact(userId, mark, '2026-09-01T10:00:00Z');
  await ask(userId, c, mark, '2026-11-20', 'replied', '2026-11-23T10:00:00Z');
  await ask(userId, c, mark, '2026-10-01', 'declined', '2026-10-02T10:00:00Z');
  await ask(userId, c, mark, '2026-11-24', 'waiting');
  await meeting(userId, c, mark, '2026-11-25T15:00:00Z', {
    debriefed: '2026-11-25T16:00:00Z',
    thankYou: '2026-11-25T20:00:00Z',
    reportedBack: '2026-12-01T10:00:00Z',
  });
  await meeting(userId, c, mark, '2026-09-10T15:00:00Z', { thankYou: '2026-09-12T16:00:00Z' });
  await contact(userId, `${mark}R`, '2026-11-26T10:00:00Z', c);
  return c;
}

const sections = (view: HomeView) => blocksOf(view).filter((b) => b.type === 'section');
/** The advisor-view block of `userId`, as JSON text; undefined when absent. */
function sharerBlock(view: HomeView, userId: string): string | undefined {
  const found = (view.blocks as unknown[]).find(
    (b) => (b as { type: string }).type === 'section' && JSON.stringify(b).includes(`<@${userId}>`),
  );
  return found === undefined ? undefined : JSON.stringify(found);
}

function homePress(actionId: string, value: string, userId = ADVISOR, teamId = TEAM_ID) {
  return {
    ...buttonPress({ actionId, value, responseUrl: '', userId, teamId }),
    container: { type: 'view', view_id: 'VHOME' },
    response_url: undefined,
    view: { id: 'VHOME', type: 'home', hash: 'h' },
  };
}

function sortPress(value: string) {
  const press = homePress(ADVISOR_HOME.actions.sort, '');
  return {
    ...press,
    actions: [
      {
        type: 'static_select',
        action_id: ADVISOR_HOME.actions.sort,
        block_id: ADVISOR_HOME.blockId,
        selected_option: { text: { type: 'plain_text', text: value }, value },
        action_ts: '1606455407.603639',
      },
    ],
  };
}

async function views(advisorId = ADVISOR) {
  return h.db
    .selectFrom('advisor_views')
    .select(['owner_id', 'surface', 'viewed_at'])
    .where('advisor_id', '=', advisorId)
    .orderBy('owner_id')
    .orderBy('id')
    .execute();
}

describe("the advisor's Home", () => {
  it('lists the people who share, with their figures for the last 4 weeks and since sharing began, and flags', async () => {
    await centre();
    await typicalActivity(USER_ID);
    await share(USER_ID, 'counts');
    await share(OTHER_USER_ID, 'stages');
    const view = await h.openHome(ADVISOR);
    const all = JSON.stringify(view.blocks);
    expect(all).toContain('Advisor view');
    expect(all).toContain('2 people share their progress with you; 2 could do with a nudge.');
    const user = sharerBlock(view, USER_ID) ?? '';
    expect(user).toContain('*Last 4 weeks*\\nAsks 2 · replies 1 (50%)\\nConversations 1 · thank-yous in 24 h 1');
    expect(user).toContain('Report-backs 1 · referrals 1');
    expect(user).toContain('*Since sharing began*\\nAsks 3 · replies 2 (67%)\\nConversations 2 · thank-yous in 24 h 1');
    expect(user).toContain(':hourglass: 1 follow-up overdue (3B7)');
    expect(user).toContain(`last activity <!date^${Date.parse('2026-12-01T10:00:00Z') / 1000}^`);
    expect(user).not.toContain(':seedling:');
    expect(user).not.toContain(ADVISOR_HOME.actions.stages);
    const other = sharerBlock(view, OTHER_USER_ID) ?? '';
    expect(other).toContain('no activity yet');
    expect(other).toContain(':seedling: nothing for 14 days');
    expect(other).toContain(ADVISOR_HOME.actions.stages);
    // Latest activity first by default.
    expect(all.indexOf(`<@${USER_ID}>`)).toBeLessThan(all.indexOf(`<@${OTHER_USER_ID}>`));
  });

  it('shows nothing from before the day sharing began: counts, follow-ups, last activity and stages start there', async () => {
    await centre();
    await typicalActivity(USER_ID);
    // Sharing began on 2026-11-25: the asks of 2026-10-01, 2026-11-20 and 2026-11-24 and the September conversation
    // stay out; the conversation of 2026-11-25, its thank-you and report-back, and the referral of 2026-11-26 count.
    await share(USER_ID, 'stages', TEAM_ID, '2026-11-25T08:00:00.000Z');
    const user = sharerBlock(await h.openHome(ADVISOR), USER_ID) ?? '';
    expect(user).toContain('*Since sharing began*\\nAsks 0 · replies 0 (–)\\nConversations 1 · thank-yous in 24 h 1');
    expect(user).toContain('Report-backs 1 · referrals 1');
    expect(user).not.toContain('overdue');
    expect(user).toContain(`last activity <!date^${Date.parse('2026-12-01T10:00:00Z') / 1000}^`);
    const opened = h.fake.callsTo('views.open').length;
    await h.interact(homePress(ADVISOR_HOME.actions.stages, USER_ID));
    const text = JSON.stringify((await h.fake.waitFor('views.open', opened + 1)).body.view);
    expect(text).toContain('Wed 25 Nov 2026: Conversation · reported back');
    expect(text).not.toContain('Ask ·');
    expect(text).not.toContain('Sep 2026');

    // Someone who began sharing today with nothing since is not flagged idle for what came before.
    await share(OTHER_USER_ID, 'counts', TEAM_ID, h.clock.now().toISOString());
    await contact(OTHER_USER_ID, 'OLD', '2026-09-01T10:00:00Z');
    expect(sharerBlock(await h.openHome(ADVISOR), OTHER_USER_ID)).not.toContain('nothing for 14 days');
    h.clock.set('2026-12-21T14:00:00Z');
    expect(sharerBlock(await h.openHome(ADVISOR), OTHER_USER_ID)).toContain('nothing for 14 days');
  });

  it('counts a follow-up as overdue only after 7 business days, skipping the workspace holidays', async () => {
    await centre();
    const c = await contact(USER_ID, 'H', '2026-11-20T10:00:00Z');
    await ask(USER_ID, c, 'H', '2026-11-27', 'waiting'); // business day 6 on 2026-12-07
    await share(USER_ID, 'counts');
    expect(sharerBlock(await h.openHome(ADVISOR), USER_ID)).not.toContain('overdue');
    h.clock.set('2026-12-08T14:00:00Z'); // business day 7
    expect(sharerBlock(await h.openHome(ADVISOR), USER_ID)).toContain('1 follow-up overdue');
    await h.db.insertInto('workspace_holidays').values({ team_id: TEAM_ID, day: '2026-12-01', name: null }).execute();
    expect(sharerBlock(await h.openHome(ADVISOR), USER_ID)).not.toContain('overdue');
  });

  it('flags nothing for 14 days, and sorts who needs a nudge first on request', async () => {
    await centre();
    const c = await contact(USER_ID, 'A', '2026-11-01T10:00:00Z');
    await ask(USER_ID, c, 'A', '2026-11-23', 'replied', '2026-11-23T12:00:00Z'); // 14 days ago: idle
    const d = await contact(OTHER_USER_ID, 'B', '2026-11-01T10:00:00Z');
    await ask(OTHER_USER_ID, d, 'B', '2026-12-04', 'replied', '2026-12-04T12:00:00Z');
    await share(USER_ID, 'counts');
    await share(OTHER_USER_ID, 'counts');
    const first = JSON.stringify((await h.openHome(ADVISOR)).blocks);
    expect(first.indexOf(`<@${OTHER_USER_ID}>`)).toBeLessThan(first.indexOf(`<@${USER_ID}>`));
    expect(sharerBlock(await h.openHome(ADVISOR), USER_ID)).toContain(':seedling: nothing for 14 days');
    expect(sharerBlock(await h.openHome(ADVISOR), OTHER_USER_ID)).not.toContain(':seedling:');
    await h.interact(sortPress('nudge'));
    const sorted = JSON.stringify((await h.openHome(ADVISOR)).blocks);
    expect(sorted.indexOf(`<@${USER_ID}>`)).toBeLessThan(sorted.indexOf(`<@${OTHER_USER_ID}>`));
    expect(sorted).toContain('Who needs a nudge first');
  });

  it('drops a person who stops sharing at the next publish, and never shows one who never shared', async () => {
    await centre();
    await typicalActivity(USER_ID);
    await typicalActivity(THIRD, 'T');
    await share(USER_ID, 'counts');
    expect(sharerBlock(await h.openHome(ADVISOR), USER_ID)).toBeDefined();
    expect(sharerBlock(await h.openHome(ADVISOR), THIRD)).toBeUndefined();
    await share(USER_ID, null);
    const after = await h.openHome(ADVISOR);
    expect(sharerBlock(after, USER_ID)).toBeUndefined();
    expect(JSON.stringify(after.blocks)).toContain('Nobody shares their progress with you yet');
  });

  it('shows no advisor section to anyone else, nor to an advisor while the centre is off', async () => {
    await centre();
    await share(USER_ID, 'counts');
    expect(JSON.stringify((await h.openHome(OTHER_USER_ID)).blocks)).not.toContain('Advisor view');
    expect(JSON.stringify((await h.openHome(USER_ID)).blocks)).not.toContain('Advisor view');
    await centre(false);
    const off = await h.openHome(ADVISOR);
    expect(JSON.stringify(off.blocks)).not.toContain('Advisor view');
    expect(JSON.stringify(off.blocks)).not.toContain(`<@${USER_ID}>`);
    expect(await views()).toEqual([]);
  });

  it('logs a look for each person shown, at most once an hour per advisor', async () => {
    await centre();
    await share(USER_ID, 'counts');
    await share(OTHER_USER_ID, 'stages');
    await h.openHome(ADVISOR);
    await h.openHome(ADVISOR);
    await h.interact(sortPress('nudge'));
    await h.settle();
    expect(await views()).toEqual([
      { owner_id: USER_ID, surface: 'home', viewed_at: iso(NOW) },
      { owner_id: OTHER_USER_ID, surface: 'home', viewed_at: iso(NOW) },
    ]);
    h.clock.advance(59 * 60_000);
    await h.openHome(ADVISOR);
    expect(await views()).toHaveLength(2);
    h.clock.advance(2 * 60_000);
    await h.openHome(ADVISOR);
    expect((await views()).map((v) => v.viewed_at)).toEqual([
      iso(NOW),
      iso('2026-12-07T15:01:00Z'),
      iso(NOW),
      iso('2026-12-07T15:01:00Z'),
    ]);
  });

  it('pages 200 people within Block Kit limits, and logs only the page shown', async () => {
    await centre();
    for (let i = 0; i < 200; i++) await share(`U9${String(i).padStart(4, '0')}`, i % 2 === 0 ? 'stages' : 'counts');
    const first = await h.openHome(ADVISOR); // openHome checks every Block Kit limit
    expect(first.blocks.length).toBeLessThanOrEqual(100);
    expect(sections(first).filter((b) => b.text?.text.startsWith('<@U9'))).toHaveLength(20);
    expect(JSON.stringify(first.blocks)).toContain('Page 1 of 10');
    expect(await views()).toHaveLength(20);
    await h.interact(homePress(`${ADVISOR_HOME.actions.page}_next`, '1'));
    const second = await h.openHome(ADVISOR);
    expect(JSON.stringify(second.blocks)).toContain('Page 2 of 10');
    expect(sharerBlock(second, 'U90020')).toBeDefined();
    expect(sharerBlock(second, 'U90000')).toBeUndefined();
    expect(await views()).toHaveLength(40);
  });
});

describe("the advisor's own choice of sort and page", () => {
  it('goes with delete-my-data', async () => {
    await centre();
    await h.interact(sortPress('nudge'));
    await h.settle();
    expect(await h.db.selectFrom('advisor_home_prefs').select('sort').execute()).toEqual([{ sort: 'nudge' }]);
    await h.command('delete-my-data', { userId: ADVISOR });
    const modal = (await h.fake.waitFor('views.open')).body.view as ModalView;
    await h.interact(viewSubmission(modal, {}, { userId: ADVISOR }));
    expect(await h.db.selectFrom('advisor_home_prefs').selectAll().execute()).toEqual([]);
  });
});

describe('the Stages modal', () => {
  async function pressStages(sharerId: string, userId = ADVISOR, teamId = TEAM_ID) {
    const before = h.fake.callsTo('views.open').length;
    await h.interact(homePress(ADVISOR_HOME.actions.stages, sharerId, userId, teamId));
    return JSON.stringify((await h.fake.waitFor('views.open', before + 1)).body.view as ModalView);
  }

  it("shows a stages-level sharer's stages and days, and nothing of a counts-level one", async () => {
    await centre();
    await typicalActivity(USER_ID);
    await typicalActivity(OTHER_USER_ID, 'O');
    await share(USER_ID, 'stages');
    await share(OTHER_USER_ID, 'counts');
    const shown = await pressStages(USER_ID);
    expect(shown).toContain('Ask · waiting for a reply');
    expect(shown).toContain('Wed 25 Nov 2026: Conversation · reported back');
    expect(shown).toContain('Fri 20 Nov 2026: Ask · replied');
    const forged = await pressStages(OTHER_USER_ID);
    expect(forged).toContain('Nothing to show');
    expect(forged).not.toContain('Ask ·');
    expect(forged).not.toContain(OTHER_USER_ID);
  });

  it('reveals nothing to a forged press: another workspace, a non-advisor, a withdrawn share', async () => {
    await centre();
    await typicalActivity(USER_ID);
    await share(USER_ID, 'stages');
    // Another workspace: the app is not installed there, so the press is refused before any listener runs.
    await h.interact(homePress(ADVISOR_HOME.actions.stages, USER_ID, ADVISOR, 'T0OTHER'));
    await h.settle();
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    const nonAdvisor = await pressStages(USER_ID, OTHER_USER_ID);
    await share(USER_ID, null);
    const withdrawn = await pressStages(USER_ID);
    for (const shown of [nonAdvisor, withdrawn]) {
      expect(shown).toContain('Nothing to show');
      expect(shown).not.toContain('Ask ·');
      expect(shown).not.toContain(USER_ID);
    }
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect((await views()).filter((v) => v.surface === 'home')).toEqual([]);
  });

  it('never lets a forged sort or page press change anything for a non-advisor', async () => {
    await centre();
    await h.interact({ ...sortPress('nudge'), user: { id: OTHER_USER_ID, team_id: TEAM_ID } });
    await h.interact(homePress(`${ADVISOR_HOME.actions.page}_next`, '3', OTHER_USER_ID));
    await h.settle();
    expect(await h.db.selectFrom('advisor_home_prefs').selectAll().execute()).toEqual([]);
  });
});

describe('privacy: what an advisor receives', () => {
  it('never carries any text the person wrote, nor anyone else they know', async () => {
    await centre();
    const mark = 'MARKER-7f3';
    const c = await typicalActivity(USER_ID, mark);
    const m = await meeting(USER_ID, c, mark, '2026-12-02T15:00:00Z', { debriefed: '2026-12-02T16:00:00Z' });
    await h.db
      .insertInto('debriefs')
      .values({
        team_id: TEAM_ID,
        owner_id: USER_ID,
        meeting_id: m,
        topics: `${mark}-TOPICS`,
        learned: `${mark}-LEARNED`,
        advice: `${mark}-ADVICE`,
        referrals: `${mark}-REFERRALS`,
        commitments: `${mark}-COMMITMENTS`,
        interest_change: 1,
        notes: `${mark}-DEBRIEFNOTE`,
        created_at: iso(NOW),
        updated_at: iso(NOW),
        report_format: null,
        report_canvas_id: null,
        report_file_id: null,
        report_url: null,
        report_markdown: `${mark}-REPORT`,
        report_created_at: null,
        report_claimed_at: null,
      })
      .execute();
    await h.db
      .insertInto('advice_items')
      .values({
        team_id: TEAM_ID,
        owner_id: USER_ID,
        meeting_id: m,
        position: 0,
        text: `${mark}-ITEM`,
        done_at: null,
        created_at: iso(NOW),
      })
      .execute();
    await h.db
      .insertInto('saved_questions')
      .values({ team_id: TEAM_ID, owner_id: USER_ID, text: `${mark}-SAVEDQ`, created_at: iso(NOW) })
      .execute();
    await share(USER_ID, 'stages');
    h.fake.users.set(ADVISOR, { tz: 'Europe/London' });

    const home = await h.openHome(ADVISOR);
    expect(sharerBlock(home, USER_ID)).toBeDefined();
    await h.interact(homePress(ADVISOR_HOME.actions.stages, USER_ID));
    await h.fake.waitFor('views.open');
    await h.interact(sortPress('nudge'));
    await h.openHome(ADVISOR);
    await h.settle();
    expect(h.fake.callsTo('views.publish').every((call) => call.body.user_id === ADVISOR)).toBe(true);

    // Nine more people, each with their own marked text, make a cohort of ten: the cohort section, its CSV and the
    // Monday chart (from the engine's housekeeping) now carry figures, and nothing else.
    for (let i = 0; i < 9; i++) {
      const person = `U10${i}`;
      await typicalActivity(person, `${mark}-${i}`);
      await share(person, 'stages');
    }
    const withCohort = JSON.stringify((await h.openHome(ADVISOR)).blocks);
    expect(withCohort).toContain('Cohort');
    await h.interact({
      ...buttonPress({
        actionId: COHORT_ACTIONS.downloadCsv,
        value: 'csv',
        responseUrl: h.fake.responseUrl(),
        userId: ADVISOR,
      }),
    });
    await h.settle();
    await h.infoview.housekeeping();
    const files = [...h.fake.files.values()];
    expect(files.some((file) => file.filename.endsWith('.csv'))).toBe(true);
    expect(files.some((file) => file.filename.endsWith('.png'))).toBe(true);
    const everything = JSON.stringify(h.fake.calls) + JSON.stringify(files);
    expect(everything).toContain(`<@${USER_ID}>`);
    expect(everything).not.toContain('MARKER');
    expect(everything.toLowerCase()).not.toContain('marker');
  });
});
