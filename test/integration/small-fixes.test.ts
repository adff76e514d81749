import type { HomeView, ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { buttonPress, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { postSigned } from '../support/signing.js';

// Issue 11, 8: the smaller defects, each walked through the receiver.

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  await saveTimeZone(h.db, { teamId: TEAM_ID, userId: USER_ID }, 'America/New_York', '2026-10-29T14:00:00.000Z');
});
afterEach(async () => {
  await h.stop();
});

async function scheduleAda(startsAt: string): Promise<number> {
  const before = h.fake.callsTo('views.open').length;
  await h.command('schedule Ada Lovelace');
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(viewSubmission(view, { [SCHEDULE_MODAL.blocks.startsAt]: new Date(startsAt) }));
  await h.settle();
  return (await h.db.selectFrom('meetings').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

describe('smaller defects (issue 11, 8)', () => {
  it('a reschedule takes the zone the user has now', async () => {
    const id = await scheduleAda('2026-11-03T20:00:00Z');
    await saveTimeZone(h.db, { teamId: TEAM_ID, userId: USER_ID }, 'Europe/Berlin', '2026-10-29T14:00:00.000Z');
    const before = h.fake.callsTo('views.open').length;
    await h.interact(
      buttonPress({ actionId: MEETING_ACTIONS.reschedule, value: String(id), responseUrl: h.fake.responseUrl() }),
    );
    const form = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
    await h.interact(viewSubmission(form, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-04T20:00:00Z') }));
    await h.settle();
    expect(
      (await h.db.selectFrom('meetings').select('time_zone').where('id', '=', id).executeTakeFirstOrThrow()).time_zone,
    ).toBe('Europe/Berlin');
  });

  it('an export whose upload fails says so instead of staying at "Preparing…"', async () => {
    h.fake.on('files.getUploadURLExternal', () => ({ ok: false, error: 'internal_error' }));
    await h.command('export');
    await h.settle();
    const replies = h.fake.callsTo('response_url').map((c) => String(c.body.text));
    expect(replies.some((text) => text.includes('Your export could not be delivered'))).toBe(true);
  });

  it('"thanked within 24 hours" counts only meetings whose 24 hours are over', async () => {
    await scheduleAda('2026-10-29T15:00:00Z');
    h.clock.set('2026-10-29T16:30:00Z'); // the meeting ended an hour ago; no thank-you yet, and it is not late
    const before = h.fake.callsTo('views.publish').length;
    const event = {
      token: 'x',
      team_id: TEAM_ID,
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1_793_282_400,
      event: { type: 'app_home_opened', user: USER_ID, channel: 'D0001', tab: 'home', event_ts: '1793282400.000100' },
    };
    await postSigned(h.eventsUrl, SIGNING_SECRET, JSON.stringify(event), { contentType: 'application/json' });
    const home = (await h.fake.waitFor('views.publish', before + 1)).body.view as HomeView;
    expect(JSON.stringify(home.blocks)).toContain('*Thanked within 24 hours*\\n– (0 of 0)');
  });
});
