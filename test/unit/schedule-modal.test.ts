import { describe, expect, it } from 'vitest';
import {
  FIELD_LIMITS,
  locationProblem,
  type ScheduleDraft,
  validateScheduleDraft,
} from '../../src/domain/meetings/schedule-rules.js';
import type { MeetingWithContact } from '../../src/domain/types.js';
import { buildHelp } from '../../src/slack/ui/messages/help-messages.js';
import {
  buildMeetingCancelled,
  buildMeetingConfirmation,
  buildMeetingMoved,
} from '../../src/slack/ui/messages/meeting-messages.js';
import { buildUpcomingList, UPCOMING_LIMIT } from '../../src/slack/ui/messages/upcoming-messages.js';
import {
  buildRescheduleModal,
  buildScheduleModal,
  parseScheduleSubmission,
  SCHEDULE_MODAL,
} from '../../src/slack/ui/modals/schedule-modal.js';
import { escapeToFit } from '../../src/slack/ui/text.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { stateFor } from '../support/payloads.js';

const B = SCHEDULE_MODAL.blocks;
const NOW = new Date('2026-11-25T12:00:00Z');

function draft(overrides: Partial<ScheduleDraft> = {}): ScheduleDraft {
  return {
    contactId: null,
    name: 'Ada Lovelace',
    pronunciation: '',
    title: '',
    company: '',
    startsAt: new Date('2026-12-01T15:00:00Z'),
    durationMinutes: 30,
    location: '',
    goal: '',
    questions: '',
    ...overrides,
  };
}

/** The largest meeting a user can make: every field at its limit, in characters that grow when escaped. */
function heaviestMeeting(id = 1): MeetingWithContact {
  const fill = (n: number) => '<&>'.repeat(Math.ceil(n / 3)).slice(0, n);
  return {
    contact: {
      id,
      name: fill(FIELD_LIMITS.name),
      pronunciation: fill(FIELD_LIMITS.pronunciation),
      title: fill(FIELD_LIMITS.title),
      company: fill(FIELD_LIMITS.company),
      email: null,
      profileUrl: null,
      timeZone: 'Pacific/Chatham',
      howMet: fill(500),
      referredById: null,
      tags: [fill(40)],
      notes: fill(3000),
      keepInTouchDays: 90,
      slackUserId: null,
    },
    meeting: {
      id,
      contactId: id,
      startsAt: new Date('2026-12-01T15:00:00Z'),
      durationMinutes: 60,
      timeZone: 'Asia/Kathmandu',
      status: 'scheduled',
      thankYouSentAt: null,
      debriefedAt: null,
      reportedBackAt: null,
      thankYouDraft: null,
      reportBackDraft: null,
      calendarSequence: 0,
      location: fill(FIELD_LIMITS.location),
      goal: fill(FIELD_LIMITS.goal),
      questions: fill(FIELD_LIMITS.questions),
    },
  };
}

describe('schedule modal round trip', () => {
  it('parses exactly what Slack sends back for what the builder made', () => {
    const view = buildScheduleModal({ context: { meetingId: 7, origin: { channel: 'D1', ts: '1.2' } } });
    const values = stateFor(view, {
      [B.name]: '  Ada Lovelace  ',
      [B.pronunciation]: 'AY-duh',
      [B.startsAt]: new Date('2026-12-01T15:00:00Z'),
      [B.durationMinutes]: '45',
      [B.location]: 'www.zoom.us/j/1',
      [B.questions]: null,
    });
    const parsed = parseScheduleSubmission({ id: 'V1', private_metadata: view.private_metadata, state: { values } });
    expect(parsed).toEqual({
      ok: true,
      viewId: 'V1',
      context: { meetingId: 7, origin: { channel: 'D1', ts: '1.2' } },
      draft: {
        contactId: null,
        name: 'Ada Lovelace',
        pronunciation: 'AY-duh',
        title: '',
        company: '',
        startsAt: new Date('2026-12-01T15:00:00Z'),
        durationMinutes: 45,
        location: 'www.zoom.us/j/1',
        goal: '',
        questions: '',
      },
    });
    const checked = validateScheduleDraft(parsed.ok ? parsed.draft : draft(), NOW);
    expect(checked.ok && checked.request.plan.location).toBe('https://www.zoom.us/j/1');
  });

  it.each([
    ['no view', undefined],
    ['no state', { id: 'V1' }],
    ['state of the wrong shape', { state: { values: { a: 'b' } } }],
    [
      'a datetime that is not a number',
      { state: { values: { [B.startsAt]: { value: { selected_date_time: 'soon' } } } } },
    ],
  ])('returns ok: false for %s instead of throwing', (_case, view) => {
    expect(parseScheduleSubmission(view)).toMatchObject({ ok: false });
  });

  it('ignores private_metadata it did not write', () => {
    const parsed = parseScheduleSubmission({ private_metadata: '{"meetingId":"1 OR 1=1"}', state: { values: {} } });
    expect(parsed.ok && parsed.context).toEqual({});
    expect(parseScheduleSubmission({ private_metadata: 'not json', state: { values: {} } })).toMatchObject({
      ok: true,
      context: {},
    });
  });

  it('keeps every field within its limit and the modal within Block Kit limits, even pre-filled to the brim', () => {
    const heavy = heaviestMeeting();
    const view = buildRescheduleModal(heavy, { channel: 'D'.repeat(20), ts: '1234567890.123456' });
    assertWithinBlockKitLimits('modal', view);
    assertWithinBlockKitLimits('modal', buildScheduleModal());
  });
});

describe('validateScheduleDraft', () => {
  it('accepts the smallest valid draft and turns empty optional fields into null', () => {
    expect(validateScheduleDraft(draft(), NOW)).toEqual({
      ok: true,
      request: {
        contactId: null,
        contact: { name: 'Ada Lovelace', pronunciation: null, title: null, company: null },
        plan: {
          startsAt: new Date('2026-12-01T15:00:00Z'),
          durationMinutes: 30,
          location: null,
          goal: null,
          questions: null,
        },
      },
    });
  });

  it.each([
    [{ durationMinutes: 25 }, 'durationMinutes'],
    [{ durationMinutes: null }, 'durationMinutes'],
    [{ startsAt: new Date('2028-01-01T00:00:00Z') }, 'startsAt'],
    [{ pronunciation: 'p'.repeat(101) }, 'pronunciation'],
    [{ goal: 'g'.repeat(1001) }, 'goal'],
  ])('refuses %j on %s', (change, field) => {
    const result = validateScheduleDraft(draft(change as Partial<ScheduleDraft>), NOW);
    expect(result.ok ? [] : Object.keys(result.errors)).toEqual([field]);
  });

  it('counts characters, not UTF-16 units, so names in any script get their full length', () => {
    expect(validateScheduleDraft(draft({ name: '𝒜'.repeat(100) }), NOW).ok).toBe(true);
  });

  it.each([
    ['221B Baker Street, London', undefined],
    ['Café Kranzler, Kurfürstendamm 18', undefined],
    ['https://meet.google.com/abc-defg-hij', undefined],
    ['http://intranet.example.com/room', undefined],
    ['www.zoom.us/j/1', undefined],
    ['htps://zoom.us/j/1', 'https://'],
    ['https://', 'malformed'],
    ['https://zoom', 'malformed'],
    ['https://zoom.us/j/1 and a note', 'malformed'],
    ['ftp://files.example.com', 'https://'],
    ['javascript://alert(1)', 'https://'],
  ])('location %j', (location, problem) => {
    const found = locationProblem(location);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('messages stay within Block Kit limits for the largest inputs', () => {
  const zone = 'America/Los_Angeles';
  it.each([
    ['confirmation', () => buildMeetingConfirmation(heaviestMeeting(), zone, 'scheduled')],
    ['cancelled', () => buildMeetingCancelled(heaviestMeeting(), zone)],
    ['moved', () => buildMeetingMoved(heaviestMeeting(), zone)],
    [
      'upcoming, full',
      () =>
        buildUpcomingList(
          Array.from({ length: UPCOMING_LIMIT }, (_, i) => heaviestMeeting(i + 1)),
          zone,
          true,
        ),
    ],
    ['upcoming, empty', () => buildUpcomingList([], zone, false)],
    ['help', () => buildHelp('x'.repeat(500))],
  ])('%s', (_name, build) => {
    const message = build();
    assertWithinBlockKitLimits('message', message);
    // Slack refuses messages whose blocks add up to about 13,200 characters (msg_blocks_too_long, bolt-js#2509).
    expect(JSON.stringify(message.blocks).length).toBeLessThan(12_000);
  });
});

describe('escapeToFit', () => {
  it.each([
    ['short & sweet', 50, 'short &amp; sweet'],
    ['<<<<<', 9, '&lt;&lt;…'],
    ['a&b', 5, 'a…'],
    ['𝒜𝒜𝒜𝒜', 5, '𝒜𝒜…'],
  ])('%j in %i', (text, max, expected) => {
    expect(escapeToFit(text, max)).toBe(expected);
  });

  it('keeps as much as fits of text that grows when escaped', () => {
    const fitted = escapeToFit('<&>'.repeat(1000), 2960);
    expect(fitted.length).toBeLessThanOrEqual(2960);
    expect(fitted.length).toBeGreaterThan(2940);
    expect(fitted.endsWith('…')).toBe(true);
  });
});
