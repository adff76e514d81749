import type { Button, KnownBlock, ModalView } from '@slack/types';
import { FEED_DAYS } from '../../../domain/meetings/calendar-feed.js';
import { formatDateTime } from '../../../lib/zoned-time.js';
import { escapeMrkdwn, mrkdwn, plain } from '../text.js';

/** The calendar feed modal's ids: `open` is the button on Home and in the reminder settings. */
export const CALENDAR_FEED = {
  callbackId: 'calendar_feed',
  actions: {
    open: 'calendar_feed_open',
    create: 'calendar_feed_create',
    reset: 'calendar_feed_reset',
    stop: 'calendar_feed_stop',
  },
} as const;

export const SUBSCRIBE_BUTTON_TEXT = 'Subscribe in your calendar';

/** What the modal shows: no PUBLIC_URL, no feed yet, a feed made earlier, a new address (shown once), or stopped. */
export type CalendarFeedState =
  | { kind: 'not_set_up' }
  | { kind: 'none' }
  | { kind: 'exists'; createdAt: Date; zone: string }
  | { kind: 'created'; address: string; replaced: boolean }
  | { kind: 'stopped' };

/** The button that opens the modal (Home, reminder settings). */
export function subscribeButton(): Button {
  return { type: 'button', action_id: CALENDAR_FEED.actions.open, text: plain(SUBSCRIBE_BUTTON_TEXT), value: 'open' };
}

const INTRO =
  `*Your infoview meetings in your own calendar*, from ${FEED_DAYS} days back on, kept up to date: ` +
  'a meeting you move moves there too, and one you cancel is removed.';

const HOW_TO =
  '*Google Calendar*: Other calendars *+* › *From URL*. *Apple Calendar*: File › *New Calendar Subscription*. ' +
  '*Outlook*: Add calendar › *Subscribe from web*. Calendars read the address on their own schedule: ' +
  'Google every several hours, the others more often, so a change can take a while to show.';

function button(actionId: string, text: string, style?: 'primary' | 'danger', confirm?: string): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(text),
    value: actionId,
    ...(style ? { style } : {}),
    ...(confirm
      ? {
          confirm: {
            title: plain('Are you sure?'),
            text: plain(confirm),
            confirm: plain('Yes'),
            deny: plain('Keep it'),
          },
        }
      : {}),
  };
}

const resetButton = button(
  CALENDAR_FEED.actions.reset,
  'Reset link',
  undefined,
  'You get a new address, and the one your calendar uses stops working at once.',
);
const stopButton = button(
  CALENDAR_FEED.actions.stop,
  'Turn off',
  'danger',
  'Your address stops working at once and your calendar no longer gets your meetings.',
);
const createButton = button(CALENDAR_FEED.actions.create, 'Create my calendar address', 'primary');

function body(state: CalendarFeedState): KnownBlock[] {
  const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
  const actions = (...elements: Button[]): KnownBlock => ({ type: 'actions', elements });
  switch (state.kind) {
    case 'not_set_up':
      return [
        section(
          'The calendar feed is not set up here yet: whoever runs infoview must set `PUBLIC_URL`, the address where ' +
            'infoview can be reached from the internet. Ask your Slack admin.',
        ),
      ];
    case 'none':
      return [
        section(
          'infoview makes you a private address that only you know. Anyone who has it can see your meetings, so keep it to yourself.',
        ),
        actions(createButton),
      ];
    case 'exists':
      return [
        section(
          `You made your private calendar address on ${escapeMrkdwn(formatDateTime(state.createdAt, state.zone))}. ` +
            'For your privacy infoview keeps only a fingerprint of it, so it cannot show it to you again. ' +
            'Lost it, or someone else has it? *Reset link* gives you a new address; the old one stops working at once.',
        ),
        actions(resetButton, stopButton),
        { type: 'context', elements: [mrkdwn(HOW_TO)] },
      ];
    case 'created':
      return [
        section(
          `:warning: *Copy this address now*; for your privacy infoview keeps only a fingerprint of it and cannot show it again.${
            state.replaced ? ' Your old address no longer works: put this one in your calendar instead.' : ''
          }\n\`\`\`${escapeMrkdwn(state.address)}\`\`\``,
        ),
        { type: 'context', elements: [mrkdwn(HOW_TO)] },
        {
          type: 'context',
          elements: [mrkdwn('Anyone who has this address can see your meetings: keep it to yourself.')],
        },
        actions(resetButton, stopButton),
      ];
    case 'stopped':
      return [section('Your calendar feed is off: its address no longer works.'), actions(createButton)];
  }
}

/** Subscribe in your calendar: make, reset or turn off the private feed address. Pure; no input, so no submit. */
export function buildCalendarFeedModal(state: CalendarFeedState): ModalView {
  return {
    type: 'modal',
    callback_id: CALENDAR_FEED.callbackId,
    title: plain('Calendar feed'),
    close: plain('Done'),
    blocks: [{ type: 'section', text: mrkdwn(INTRO) }, ...body(state)],
  };
}
