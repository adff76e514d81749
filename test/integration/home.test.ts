import type { HomeView, ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allQuestions, QUESTION_BANK } from '../../src/domain/meetings/question-bank.js';
import { HOME_ACTIONS } from '../../src/slack/ui/home/home-view.js';
import { MY_PROGRESS } from '../../src/slack/ui/messages/my-progress-messages.js';
import { REMINDER_ACTIONS } from '../../src/slack/ui/messages/reminders-messages.js';
import { CALENDAR_FEED } from '../../src/slack/ui/modals/calendar-feed-modal.js';
import { QUESTIONS_MODAL } from '../../src/slack/ui/modals/questions-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blocksOf } from '../support/blocks.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, OTHER_USER_ID, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { payloadBody, postSigned } from '../support/signing.js';
import { DAY_AND_TIME, dateToken, meetingWhenTokens, withDateFallbacks } from '../support/slack-dates.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'America/New_York' });
});
afterEach(async () => {
  await h.stop();
});

const text = (view: HomeView) => JSON.stringify(view.blocks);

async function schedule(name: string, startsAt: string, userId = USER_ID) {
  const before = h.fake.callsTo('views.open').length;
  await h.command(`schedule ${name}`, { userId });
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(
    viewSubmission(
      view,
      { [SCHEDULE_MODAL.blocks.startsAt]: new Date(startsAt), [SCHEDULE_MODAL.blocks.pronunciation]: 'say-it' },
      { userId },
    ),
  );
  return (await h.db.selectFrom('meetings').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

describe('the Home tab', () => {
  it('welcomes a new user with the journey and the quick actions', async () => {
    const view = await h.openHome();
    expect(view.type).toBe('home');
    expect(blocksOf(view)[0]?.elements?.map((e) => e.action_id)).toEqual([
      HOME_ACTIONS.schedule,
      HOME_ACTIONS.logContact,
      HOME_ACTIONS.debrief,
      HOME_ACTIONS.questions,
      CALENDAR_FEED.actions.open,
      HOME_ACTIONS.importContacts,
      MY_PROGRESS.action,
    ]);
    expect(text(view)).toContain('Welcome to infoview');
    expect(text(view)).not.toContain('Needs your attention');
  });

  it("is published over node:http, never through Node's fetch (whose first call compiles a WebAssembly parser)", async () => {
    // A WebClient takes the global fetch when it is made: the app is made again with fetch refusing any request to a
    // loopback port other than the app's own (the test's signed requests still use fetch).
    await h.stop();
    const testFetch = globalThis.fetch;
    let appOrigin = '';
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).startsWith(appOrigin)
        ? testFetch(input, init)
        : Promise.reject(new Error('the global fetch was used')),
    );
    try {
      h = await startHarness({ now: '2026-10-29T14:00:00Z' });
      appOrigin = h.baseUrl;
      expect((await h.openHome()).type).toBe('home');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('shows a typical user what needs attention, what is coming, contacts and progress, and only theirs', async () => {
    const past = await schedule('Ada Lovelace', '2026-10-29T15:00:00Z');
    await schedule('Grace Hopper', '2026-11-03T20:00:00Z');
    await schedule('Not Mine', '2026-11-03T20:00:00Z', OTHER_USER_ID);
    h.clock.set('2026-10-29T16:00:00Z'); // Ada's meeting ended 30 minutes ago
    const view = await h.openHome();
    const all = text(view);
    // Times in Slack's date formatting (each reader's own clock), infoview's text in the user's zone as the fallback.
    expect(all).toContain(
      `Debrief your conversation with *Ada Lovelace* (${dateToken('2026-10-29T15:00:00Z', DAY_AND_TIME, 'Thu 29 Oct 2026, 11:00')})`,
    );
    expect(all).toContain('Thank *Ada Lovelace*: 23 hours left of the 24');
    const grace = meetingWhenTokens(
      { iso: '2026-11-03T20:00:00Z', fallback: 'Tue 3 Nov 2026, 15:00' },
      { iso: '2026-11-03T20:30:00Z', fallback: '15:30 EST' },
    );
    expect(all).toContain(`*${grace}* · 30 min · _prep tips coming_`);
    expect(withDateFallbacks(all)).toContain('*Tue 3 Nov 2026, 15:00–15:30 EST* · 30 min · _prep tips coming_');
    expect(all).toContain('say it _say-it_');
    expect(all).toContain('*Meetings in total*\\n1');
    expect(all).not.toContain('Not Mine');
    const debriefButton = blocksOf(view).find(
      (b) => b.accessory?.action_id === REMINDER_ACTIONS.openDebrief,
    )?.accessory;
    expect(debriefButton?.value).toBe(String(past));
  });

  it('is republished after a change the user makes, and reflects it', async () => {
    const meetingId = await schedule('Ada Lovelace', '2026-10-29T15:00:00Z');
    h.clock.set('2026-10-29T16:00:00Z');
    // The scheduling's own republish has arrived before counting.
    await h.settle();
    const before = h.fake.callsTo('views.publish').length;
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.thankYouSent,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const published = await h.fake.waitFor('views.publish', before + 1);
    expect(published.body.user_id).toBe(USER_ID);
    expect(JSON.stringify(published.body.view)).not.toContain('Thank *Ada Lovelace*');
    expect(JSON.stringify(published.body.view)).toContain('*Thanked within 24 hours*\\n100% (1 of 1)');
  });

  it('stays within 100 blocks for a heavy user, cutting lists with "and N more"', async () => {
    const now = '2026-10-29T14:00:00.000Z';
    const contacts = await h.db
      .insertInto('contacts')
      .values(
        Array.from({ length: 2000 }, (_, i) => ({
          team_id: TEAM_ID,
          owner_id: USER_ID,
          name: `<&> Person ${i} ${'x'.repeat(80)}`,
          name_key: `p${i}|`,
          search_text: `person ${i}`,
          last_activity_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    const meetings = Array.from({ length: 500 }, (_, i) => {
      const start = new Date(Date.parse(now) + (i - 250) * 3_600_000);
      return {
        team_id: TEAM_ID,
        owner_id: USER_ID,
        contact_id: must(contacts[i], 'a contact for each meeting').id,
        starts_at: start.toISOString(),
        ends_at: new Date(start.getTime() + 1_800_000).toISOString(),
        duration_minutes: 30,
        time_zone: 'UTC',
        location: 'y'.repeat(500),
        goal: null,
        questions: null,
        status: 'scheduled' as const,
        source_view_id: null,
        created_at: now,
        updated_at: now,
      };
    });
    await h.db.insertInto('meetings').values(meetings).execute();
    const view = await h.openHome();
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(text(view)).toContain('and 1995 more contacts');
    expect(text(view)).toMatch(/and \d+ more upcoming/);
  });

  it('quick actions open the forms', async () => {
    await h.interact({
      ...buttonPress({ actionId: HOME_ACTIONS.schedule, value: 'new', responseUrl: '' }),
      container: { type: 'view', view_id: 'VHOME' },
      response_url: undefined,
      view: { id: 'VHOME', type: 'home', hash: 'h' },
    });
    const opened = await h.fake.waitFor('views.open');
    expect(opened.body.view?.callback_id).toBe(SCHEDULE_MODAL.callbackId);
  });

  it('"thanked within 24 hours" counts only meetings whose 24 hours are over', async () => {
    await schedule('Ada Lovelace', '2026-10-29T15:00:00Z');
    h.clock.set('2026-10-29T16:30:00Z'); // the meeting ended an hour ago; no thank-you yet, and it is not late
    expect(text(await h.openHome())).toContain('*Thanked within 24 hours*\\n– (0 of 0)');
  });
});

describe('the question bank', () => {
  it('has at least 40 questions in the promised groups, each with a TIARA tag', () => {
    expect(allQuestions().length).toBeGreaterThanOrEqual(40);
    expect(QUESTION_BANK.map((c) => c.title)).toEqual([
      'A typical day',
      'Career path',
      'Skills and preparation',
      "The industry's trends",
      'The organisation',
      'Salary and benefits',
      'Advice',
      'Resources',
      'Who else should I talk to?',
    ]);
    expect(new Set(allQuestions().map((q) => q.tiara))).toEqual(
      new Set(['trends', 'insights', 'advice', 'resources', 'assignments']),
    );
    expect(new Set(allQuestions().map((q) => q.id)).size).toBe(allQuestions().length);
  });

  it('/infoview questions shows the bank; picked questions join a meeting’s plan; own questions come first', async () => {
    const meetingId = await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    await h.command('questions');
    const modal = (await h.fake.waitFor('views.open', 2)).body.view as ModalView;
    assertWithinBlockKitLimits('modal', modal);
    expect(JSON.stringify(modal.blocks)).toContain('What salary range is typical');
    await h.interact(
      viewSubmission(
        modal,
        {
          [QUESTIONS_MODAL.blocks.meeting]: String(meetingId),
          [QUESTIONS_MODAL.blocks.own]: 'What would you tell your younger self?',
        },
        {},
      ),
    );
    await h.interact(
      viewSubmission(modal, {
        [QUESTIONS_MODAL.blocks.meeting]: String(meetingId),
        [QUESTIONS_MODAL.blocks.pick]: ['b:money1', 'b:day1'],
      }),
    );
    const row = await h.db
      .selectFrom('meetings')
      .select('questions')
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(row.questions).toContain('• What salary range is typical for someone starting in this role?');
    expect(row.questions?.match(/What does a typical week look like/g)).toHaveLength(1);

    await h.command('questions');
    const again = (await h.fake.waitFor('views.open', 3)).body.view as ModalView;
    expect(blocksOf(again)[1]?.text?.text).toBe('Your questions');
    expect(JSON.stringify(again.blocks[2])).toContain('What would you tell your younger self?');
  });

  it('filters by category and says which exist', async () => {
    await h.command('questions salary');
    const modal = (await h.fake.waitFor('views.open')).body.view as ModalView;
    const headers = blocksOf(modal)
      .filter((b) => b.type === 'header')
      .map((b) => b.text?.text);
    expect(headers).toEqual(['Salary and benefits']);
    const res = await h.command('questions astrology');
    expect(((await res.json()) as { text: string }).text).toContain('Try one of: day, path');
  });

  it('refuses to add questions to another user’s meeting', async () => {
    const theirs = await schedule('Theirs', '2026-11-03T20:00:00Z', OTHER_USER_ID);
    await schedule('Mine', '2026-11-04T20:00:00Z');
    await h.command('questions');
    const modal = (await h.fake.waitFor('views.open', 3)).body.view as ModalView;
    // A forged form: the meeting select never offered another user's meeting, so its state is written by hand.
    const payload = viewSubmission(modal, { [QUESTIONS_MODAL.blocks.pick]: ['b:money1'] });
    payload.view.state.values[QUESTIONS_MODAL.blocks.meeting] = {
      value: { type: 'static_select', selected_option: { value: String(theirs) } },
    };
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, payloadBody(payload));
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { [QUESTIONS_MODAL.blocks.meeting]: expect.stringContaining('not one of yours') },
    });
  });
});
