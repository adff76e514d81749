import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MY_PROGRESS } from '../../src/slack/ui/messages/my-progress-messages.js';
import { type Harness, startHarness } from '../support/harness.js';
import { buttonPress, TEAM_ID, USER_ID } from '../support/payloads.js';

// "My progress" on Home, through the real receiver: the person's own funnel as a PNG in their DM, the figures as
// text beside it, one chart for a double press, and Slack's refusal told plainly.

const NOW = '2026-12-07T14:00:00Z'; // a Monday: the chart's weeks are 19 Oct … 30 Nov, then this week so far

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: NOW });
});
afterEach(async () => {
  await h.stop();
});

function homePress(userId = USER_ID) {
  return {
    ...buttonPress({ actionId: MY_PROGRESS.action, value: 'chart', responseUrl: '', userId }),
    container: { type: 'view', view_id: 'VHOME' },
    response_url: undefined,
    view: { id: 'VHOME', type: 'home', hash: 'h' },
  };
}

async function seed() {
  const at = '2026-09-01T10:00:00.000Z';
  const contact = { team_id: TEAM_ID, owner_id: USER_ID, name_key: 'a|', search_text: 'a', last_activity_at: at };
  const { id } = await h.db
    .insertInto('contacts')
    .values({ ...contact, name: 'Ada', created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  const referredAt = '2026-11-26T10:00:00.000Z';
  const bea = await h.db
    .insertInto('contacts')
    .values({ ...contact, name: 'Bea', referred_by_id: id, created_at: referredAt, updated_at: referredAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ask = (sentOn: string, status: 'waiting' | 'replied', closedAt: string | null, contactId = id) => ({
    team_id: TEAM_ID,
    owner_id: USER_ID,
    contact_id: contactId,
    channel: 'email' as const,
    sent_on: sentOn,
    purpose: null,
    draft: null,
    status,
    followed_up_at: null,
    closed_at: closedAt,
    source_view_id: null,
    created_at: at,
    updated_at: at,
  });
  await h.db
    .insertInto('asks')
    .values([
      ask('2026-11-20', 'replied', '2026-11-23T10:00:00.000Z'),
      ask('2026-11-24', 'waiting', null),
      ask('2026-12-07', 'waiting', null, bea.id),
    ])
    .execute();
  await h.db
    .insertInto('meetings')
    .values({
      team_id: TEAM_ID,
      owner_id: USER_ID,
      contact_id: id,
      starts_at: '2026-11-25T15:00:00.000Z',
      duration_minutes: 30,
      ends_at: '2026-11-25T15:30:00.000Z',
      time_zone: 'UTC',
      location: null,
      goal: null,
      questions: null,
      status: 'scheduled',
      source_view_id: null,
      thank_you_sent_at: '2026-11-25T20:00:00.000Z',
      created_at: at,
      updated_at: at,
    })
    .execute();
}

describe('My progress', () => {
  it('is a button on everyone’s Home', async () => {
    expect(JSON.stringify((await h.openHome()).blocks)).toContain(MY_PROGRESS.action);
  });

  it("posts the person's 8-week funnel as a PNG in their DM, with the figures as text and alt text", async () => {
    await seed();
    const res = await h.interact(homePress());
    expect(res.status).toBe(200);
    const done = await h.fake.waitFor('files.completeUploadExternal');
    const asked = h.fake.lastCall('files.getUploadURLExternal').body;
    expect(asked.filename).toBe('my-progress.png');
    expect(String(asked.alt_text)).toContain(
      'In total: asks sent 3, replies 1, conversations held 1, thank-yous within 24 h 1, referrals gained 1.',
    );
    expect(done.body.channel_id).toBe('D0001');
    const comment = String(done.body.initial_comment);
    expect(comment.split('\n')).toEqual([
      '*Your progress, the last 8 weeks* (the same figures as the chart):',
      ...['19 Oct', '26 Oct', '2 Nov', '9 Nov'].map(
        (week) =>
          `• Week of ${week}: asks sent 0, replies 0, conversations held 0, thank-yous within 24 h 0, referrals gained 0`,
      ),
      '• Week of 16 Nov: asks sent 1, replies 0, conversations held 0, thank-yous within 24 h 0, referrals gained 0',
      '• Week of 23 Nov: asks sent 1, replies 1, conversations held 1, thank-yous within 24 h 1, referrals gained 1',
      '• Week of 30 Nov: asks sent 0, replies 0, conversations held 0, thank-yous within 24 h 0, referrals gained 0',
      '• Week of 7 Dec (so far): asks sent 1, replies 0, conversations held 0, thank-yous within 24 h 0, referrals gained 0',
    ]);
    const file = [...h.fake.files.values()][0];
    expect(file?.content.slice(1, 4)).toBe('PNG');
    expect(file?.content.length).toBeGreaterThan(1000);
  });

  it('sends one chart for a double press, and another a minute later', async () => {
    await Promise.all([h.interact(homePress()), h.interact(homePress())]);
    await h.settle();
    expect(h.fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    h.clock.advance(61_000);
    await h.interact(homePress());
    await h.settle();
    expect(h.fake.callsTo('files.getUploadURLExternal')).toHaveLength(2);
  });

  it('tells the person plainly when Slack refuses the upload, and lets them press again at once', async () => {
    h.fake.on('files.getUploadURLExternal', () => ({ ok: false, error: 'not_allowed_token_type' }));
    await h.interact(homePress());
    const told = await h.fake.waitFor('chat.postMessage');
    expect(told.body.channel).toBe('D0001');
    expect(String(told.body.text)).toContain('could not be sent (Slack said `not_allowed_token_type`)');
    h.fake.off('files.getUploadURLExternal');
    await h.interact(homePress());
    await h.fake.waitFor('files.completeUploadExternal');
  });
});
