import type { ModalView } from '@slack/types';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { DEBRIEF_ACTIONS } from '../../src/slack/ui/messages/debrief-messages.js';
import { FULL_REPORT_FILE_COMMENT } from '../../src/slack/ui/messages/full-report-messages.js';
import { REMINDER_ACTIONS } from '../../src/slack/ui/messages/reminders-messages.js';
import { DEBRIEF_MODAL } from '../../src/slack/ui/modals/debrief-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blocksOf } from '../support/blocks.js';
import { type CallBody, sectionText } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { buttonPress, OTHER_USER_ID, USER_ID, type UserInput, viewSubmission } from '../support/payloads.js';

const D = DEBRIEF_MODAL.blocks;
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'America/New_York' });
});
afterEach(async () => {
  await h.stop();
});

const fullDebrief: Record<string, UserInput> = {
  [D.topics]: 'Her path into analytics; a typical week',
  [D.learned]: 'Analysts spend half their time cleaning data. Tooling matters less.',
  [D.advice]: 'Learn SQL properly',
  [D.referrals]: '• Grace Hopper — Rear Admiral, US Navy\n\n  Katherine  Johnson –  Mathematician ,  NASA',
  [D.commitments]:
    '- Take the SQL course she mentioned.\n- Read <The Signal and the Noise>\n- Email <@U0002> about *it*',
  [D.interestChange]: '4',
  [D.notes]: 'Private: felt a good fit',
};

/** What canvases.create must receive for `fullDebrief` with Ada, met on Tue 3 Nov 2026 at 15:00 in New York. */
const EXPECTED_TITLE = 'Ada Lovelace · Tue 3 Nov 2026';
const EXPECTED_MARKDOWN = [
  'Informational interview with **Ada Lovelace**, Engines, on Tue 3 Nov 2026, 15:00 (America/New_York).',
  '',
  '## Topics covered',
  '',
  '- Her path into analytics; a typical week',
  '',
  '_Which of these surprised you, and why?_',
  '',
  '## What I learned',
  '',
  '- Analysts spend half their time cleaning data. Tooling matters less.',
  '',
  '_What does this change in how you picture the work?_',
  '',
  '## Advice I received',
  '',
  '- Learn SQL properly',
  '',
  '_Which piece will you act on first, and by when?_',
  '',
  '## People they suggested',
  '',
  '- **Grace Hopper** — Rear Admiral, US Navy',
  '- **Katherine Johnson** — Mathematician, NASA',
  '',
  '_Why each of them, and what would you ask them?_',
  '',
  '## Things I said I would do',
  '',
  '- [ ] Take the SQL course she mentioned.',
  '- [ ] Read \\<The Signal and the Noise\\>',
  '- [ ] Email \\<\u200b@U0002\\> about \\*it\\*',
  '',
  '_Give each a date, and tick it off when it is done._',
  '',
  '## How my interest changed',
  '',
  '- A little more interested',
  '',
  '_What moved it, and what would you need to find out next?_',
  '',
  '## My notes',
  '',
  '- Private: felt a good fit',
  '',
  '_Anything else worth keeping: how it felt, what you would do differently next time._',
  '',
].join('\n');

/** Ada's meeting on Tue 3 Nov 15:00 EST, debriefed just after; returns the meeting and the "Debrief saved" DM. */
async function debriefAda(userId = USER_ID): Promise<{ meetingId: number; saved: CallBody }> {
  h.clock.set('2026-10-29T14:00:00Z');
  const opens = h.fake.callsTo('views.open').length;
  await h.command('schedule Ada Lovelace', { userId });
  const schedule = (await h.fake.waitFor('views.open', opens + 1)).body.view as ModalView;
  await h.interact(
    viewSubmission(
      schedule,
      {
        [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-03T20:00:00Z'),
        [SCHEDULE_MODAL.blocks.company]: 'Engines',
      },
      { userId },
    ),
  );
  await h.settle();
  const { id: meetingId } = await h.db
    .selectFrom('meetings')
    .select('id')
    .where('owner_id', '=', userId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  h.clock.set('2026-11-03T20:40:00Z');
  await h.interact(
    buttonPress({
      actionId: REMINDER_ACTIONS.openDebrief,
      value: String(meetingId),
      responseUrl: h.fake.responseUrl(),
      userId,
    }),
  );
  const form = (await h.fake.waitFor('views.open', opens + 2)).body.view as ModalView;
  const posts = h.fake.callsTo('chat.postMessage').length;
  await h.interact(viewSubmission(form, fullDebrief, { userId }));
  await h.settle();
  const saved = (await h.fake.waitFor('chat.postMessage', posts + 1)).body;
  return { meetingId, saved };
}

async function pressWriteReport(meetingId: number, userId = USER_ID): Promise<void> {
  await h.interact(
    buttonPress({
      actionId: DEBRIEF_ACTIONS.writeFullReport,
      value: String(meetingId),
      responseUrl: h.fake.responseUrl(),
      userId,
    }),
  );
  await h.settle();
}

const reportRow = (meetingId: number) =>
  h.db
    .selectFrom('debriefs')
    .select([
      'report_format',
      'report_canvas_id',
      'report_file_id',
      'report_url',
      'report_markdown',
      'report_created_at',
      'report_claimed_at',
    ])
    .where('meeting_id', '=', meetingId)
    .executeTakeFirstOrThrow();

const lastReply = () => h.fake.lastCall('response_url').body;

describe('the full report', () => {
  it('is offered on the DM after a debrief, and writes a canvas only the user can edit, with its link in the DM', async () => {
    const { meetingId, saved } = await debriefAda();
    assertWithinBlockKitLimits('message', saved);
    const offer = blocksOf(saved).find((b) => b.accessory?.action_id === DEBRIEF_ACTIONS.writeFullReport);
    expect(offer?.accessory).toMatchObject({
      type: 'button',
      text: { text: 'Write the full report' },
      value: String(meetingId),
    });

    const posts = h.fake.callsTo('chat.postMessage').length;
    await pressWriteReport(meetingId);

    const create = h.fake.callsTo('canvases.create');
    expect(create.map((c) => c.body)).toEqual([
      { team_id: 'T0001', title: EXPECTED_TITLE, document_content: { type: 'markdown', markdown: EXPECTED_MARKDOWN } },
    ]);
    expect(h.fake.callsTo('canvases.access.set').map((c) => c.body)).toEqual([
      { team_id: 'T0001', canvas_id: 'FCANVAS1', access_level: 'write', user_ids: [USER_ID] },
    ]);
    expect([...(h.fake.canvases.get('FCANVAS1')?.access ?? [])]).toEqual([[USER_ID, 'write']]);
    expect(h.fake.callsTo('files.info').map((c) => c.body.file)).toEqual(['FCANVAS1']);

    const link = (await h.fake.waitFor('chat.postMessage', posts + 1)).body;
    assertWithinBlockKitLimits('message', link);
    expect(link.channel).toBe('D0001');
    expect(sectionText(link, 0)).toContain(`<https://example.slack.com/docs/T0001/FCANVAS1|${EXPECTED_TITLE}>`);
    expect(sectionText(link, 0)).toContain('a canvas only you can see and edit');

    expect(await reportRow(meetingId)).toEqual({
      report_format: 'canvas',
      report_canvas_id: 'FCANVAS1',
      report_file_id: null,
      report_url: 'https://example.slack.com/docs/T0001/FCANVAS1',
      report_markdown: EXPECTED_MARKDOWN,
      report_created_at: '2026-11-03T20:40:00.000Z',
      report_claimed_at: null,
    });
    expect(h.fake.files.size).toBe(1); // the calendar file only: no Markdown file besides the canvas
  });

  it('a second click, or two at once, makes no second canvas: it answers with the link', async () => {
    const { meetingId } = await debriefAda();
    await Promise.all([pressWriteReport(meetingId), pressWriteReport(meetingId)]);
    expect(h.fake.callsTo('canvases.create')).toHaveLength(1);
    // The click that lost the claim heard that the report is on its way (or, if the first had finished, its link).
    expect(h.fake.callsTo('response_url').map((c) => c.body.text)).toEqual([
      expect.stringMatching(/^(Your full report is being written|Your full report: )/),
    ]);
    assertWithinBlockKitLimits('message', lastReply());
    await pressWriteReport(meetingId);
    expect(h.fake.callsTo('canvases.create')).toHaveLength(1);
    const reply = lastReply();
    assertWithinBlockKitLimits('message', reply);
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(sectionText(reply, 0)).toContain(`<https://example.slack.com/docs/T0001/FCANVAS1|${EXPECTED_TITLE}>`);
  });

  it.each(['free_teams_cannot_create_non_tabbed_canvases', 'canvas_disabled_user_team'])(
    'where canvases.create answers %s, the same report arrives as a Markdown file in the DM',
    async (error) => {
      h.fake.on('canvases.create', () => ({ ok: false, error }));
      const { meetingId } = await debriefAda();
      await pressWriteReport(meetingId);

      expect(h.fake.callsTo('canvases.create')).toHaveLength(1);
      expect(h.fake.callsTo('canvases.access.set')).toEqual([]);
      const report = h.fake.filesIn('D0001').find((f) => f.filename.endsWith('.md'));
      expect(report).toEqual({
        filename: `${EXPECTED_TITLE}.md`,
        content: `# ${EXPECTED_TITLE}\n\n${EXPECTED_MARKDOWN}`,
        channel: 'D0001',
        comment: FULL_REPORT_FILE_COMMENT,
      });
      const fileId = [...h.fake.files.entries()].find(([, f]) => f === report)?.[0];
      const url = `https://example.slack.com/files/UBOT/${fileId}/${encodeURIComponent(`${EXPECTED_TITLE}.md`)}`;
      expect(await reportRow(meetingId)).toEqual({
        report_format: 'markdown',
        report_canvas_id: null,
        report_file_id: fileId,
        report_url: url,
        report_markdown: EXPECTED_MARKDOWN,
        report_created_at: '2026-11-03T20:40:00.000Z',
        report_claimed_at: null,
      });

      // Pressed again: the link to that file, no second one.
      await pressWriteReport(meetingId);
      expect(h.fake.callsTo('canvases.create')).toHaveLength(1);
      expect(h.fake.filesIn('D0001').filter((f) => f.filename.endsWith('.md'))).toHaveLength(1);
      const reply = lastReply();
      assertWithinBlockKitLimits('message', reply);
      expect(sectionText(reply, 0)).toContain('a Markdown file in this conversation');
      expect(sectionText(reply, 0)).toContain(`<${url}|${EXPECTED_TITLE}>`);
    },
  );

  it('any other failure says so, records nothing and lets the next click try again', async () => {
    h.fake.on('canvases.create', () => ({ ok: false, error: 'canvas_creation_failed' }));
    const { meetingId } = await debriefAda();
    await pressWriteReport(meetingId);
    const reply = lastReply();
    assertWithinBlockKitLimits('message', reply);
    expect(reply.text).toContain('could not create your full report');
    expect(await reportRow(meetingId)).toMatchObject({
      report_format: null,
      report_claimed_at: null,
      report_markdown: null,
    });
    expect(h.fake.files.size).toBe(1); // the calendar file only

    h.fake.off('canvases.create');
    await pressWriteReport(meetingId);
    expect(await reportRow(meetingId)).toMatchObject({ report_format: 'canvas', report_canvas_id: 'FCANVAS1' });
  });

  it('a canvas the user could not be given access to is deleted, and nothing is recorded', async () => {
    h.fake.on('canvases.access.set', () => ({ ok: false, error: 'failed_to_update_user_ids' }));
    const { meetingId } = await debriefAda();
    await pressWriteReport(meetingId);
    expect(h.fake.callsTo('canvases.delete').map((c) => c.body)).toEqual([{ team_id: 'T0001', canvas_id: 'FCANVAS1' }]);
    expect(h.fake.canvases.size).toBe(0);
    expect(lastReply().text).toContain('could not create your full report');
    expect(await reportRow(meetingId)).toMatchObject({ report_format: null, report_claimed_at: null });
  });

  it('refuses another user’s meeting: nothing is created or changed', async () => {
    const { meetingId: theirs } = await debriefAda(OTHER_USER_ID);
    const before = await reportRow(theirs);
    const files = h.fake.files.size;
    await pressWriteReport(theirs, USER_ID);
    const reply = lastReply();
    assertWithinBlockKitLimits('message', reply);
    expect(reply.text).toBe('That meeting is not one of yours, or it no longer exists. Nothing was changed.');
    expect(h.fake.callsTo('canvases.create')).toEqual([]);
    expect(h.fake.files.size).toBe(files);
    expect(await reportRow(theirs)).toEqual(before);
  });

  it('is linked from the contact’s History', async () => {
    const { meetingId } = await debriefAda();
    await pressWriteReport(meetingId);
    const ada = await h.db
      .selectFrom('contacts')
      .select('id')
      .where('name', '=', 'Ada Lovelace')
      .executeTakeFirstOrThrow();
    const opens = h.fake.callsTo('views.open').length;
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(ada.id), responseUrl: h.fake.responseUrl() }),
    );
    const history = (await h.fake.waitFor('views.open', opens + 1)).body.view as ModalView;
    assertWithinBlockKitLimits('modal', history);
    const meetingLine = blocksOf(history).find(
      (b) => b.type === 'section' && String(b.text?.text).includes('Tue 3 Nov 2026'),
    );
    expect(meetingLine?.text?.text).toContain(' · <https://example.slack.com/docs/T0001/FCANVAS1|Full report>');
  });

  it('is in the export: its link and Markdown in the meetings CSV and in the JSON', async () => {
    const { meetingId } = await debriefAda();
    await pressWriteReport(meetingId);
    await h.command('export');
    await h.settle();
    const files = h.fake.filesIn('D0001');
    const csv = parse(files.find((f) => f.filename === 'infoview-meetings.csv')?.content ?? '', {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(csv).toHaveLength(1);
    expect(csv[0]).toMatchObject({
      id: String(meetingId),
      full_report_format: 'canvas',
      full_report_url: 'https://example.slack.com/docs/T0001/FCANVAS1',
      full_report_markdown: EXPECTED_MARKDOWN,
    });
    const json = JSON.parse(files.find((f) => f.filename === 'infoview-export.json')?.content ?? '{}');
    expect(json.debriefs[0]).toMatchObject({
      meeting_id: meetingId,
      report_format: 'canvas',
      report_url: 'https://example.slack.com/docs/T0001/FCANVAS1',
      report_markdown: EXPECTED_MARKDOWN,
    });
  });
});
