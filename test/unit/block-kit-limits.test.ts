import type { HomeView, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { assertWithinBlockKitLimits, blockKitViolations, type Surface } from '../support/block-kit-limits.js';

// Fixtures are typed with @slack/types so they stay shaped like what the builders produce.

function plain(text: string) {
  return { type: 'plain_text' as const, text };
}

function mrkdwn(text: string) {
  return { type: 'mrkdwn' as const, text };
}

function choice(text: string, value: string): PlainTextOption {
  return { text: plain(text), value };
}

function many<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}

const STAGES = [choice('Reached out', 'reached_out'), choice('Scheduled', 'scheduled'), choice('Done', 'done')];

function validModal(): ModalView {
  return {
    type: 'modal',
    callback_id: 'schedule_interview',
    private_metadata: '{"contactId":42}',
    external_id: 'schedule-42',
    notify_on_close: true,
    title: plain('Schedule a chat'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      // 0
      { type: 'header', block_id: 'title', text: { type: 'plain_text', text: 'Plan your interview', emoji: true } },
      // 1: section with a confirmable button accessory
      {
        type: 'section',
        block_id: 'intro',
        text: mrkdwn('*Who* are you meeting?'),
        accessory: {
          type: 'button',
          action_id: 'help',
          text: plain('Help'),
          value: 'help',
          url: 'https://example.com/help?topic=interviews',
          confirm: {
            title: plain('Leave Slack?'),
            text: mrkdwn('This opens *example.com*.'),
            confirm: plain('Open'),
            deny: plain('Stay'),
            style: 'primary',
          },
        },
      },
      // 2: fields with an overflow accessory
      {
        type: 'section',
        block_id: 'facts',
        fields: [mrkdwn('*Company*\nAcme'), plain('Tuesday')],
        accessory: {
          type: 'overflow',
          action_id: 'more',
          options: [choice('Edit', 'edit'), { text: plain('Docs'), value: 'docs', url: 'https://example.com/docs' }],
        },
      },
      // 3
      { type: 'divider', block_id: 'rule' },
      // 4
      {
        type: 'context',
        block_id: 'meta',
        elements: [
          mrkdwn('Added by <@U123>'),
          { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'avatar' },
        ],
      },
      // 5: one of most interactive elements
      {
        type: 'actions',
        block_id: 'controls',
        elements: [
          {
            type: 'static_select',
            action_id: 'stage',
            placeholder: plain('Pick a stage'),
            options: STAGES,
            initial_option: choice('Scheduled', 'scheduled'),
          },
          { type: 'datepicker', action_id: 'day', initial_date: '2024-02-29' },
          { type: 'timepicker', action_id: 'time', initial_time: '23:59', timezone: 'Europe/Berlin' },
          { type: 'datetimepicker', action_id: 'when', initial_date_time: 1666869900 },
          {
            type: 'checkboxes',
            action_id: 'prep',
            options: [
              { text: mrkdwn('*Read* their profile'), value: 'profile' },
              { text: plain('Write questions'), value: 'questions', description: plain('Three is plenty') },
            ],
            initial_options: [{ text: mrkdwn('*Read* their profile'), value: 'profile' }],
          },
          {
            type: 'radio_buttons',
            action_id: 'format',
            options: [choice('Video', 'video'), choice('Coffee', 'coffee')],
            initial_option: choice('Coffee', 'coffee'),
          },
          { type: 'external_select', action_id: 'contact', min_query_length: 2, placeholder: plain('Search contacts') },
          { type: 'button', action_id: 'go', text: plain('Go'), style: 'danger', value: 'go' },
        ],
      },
      // 6
      {
        type: 'input',
        block_id: 'company',
        label: plain('Company'),
        hint: plain('Where they work now'),
        element: {
          type: 'plain_text_input',
          action_id: 'company',
          min_length: 2,
          max_length: 100,
          initial_value: 'Acme',
          focus_on_load: true,
          placeholder: plain('Acme Inc.'),
        },
      },
      // 7
      {
        type: 'input',
        block_id: 'topics',
        optional: true,
        label: plain('Topics'),
        element: {
          type: 'multi_static_select',
          action_id: 'topics',
          max_selected_items: 3,
          option_groups: [
            { label: plain('Career'), options: [choice('Switching fields', 'switch'), choice('Salary', 'salary')] },
            { label: plain('Company'), options: [choice('Culture', 'culture')] },
          ],
          initial_options: [choice('Culture', 'culture')],
        },
      },
      // 8
      {
        type: 'image',
        block_id: 'map',
        image_url: 'https://example.com/map.png',
        alt_text: 'map',
        title: plain('Office'),
      },
      // 9
      {
        type: 'rich_text',
        block_id: 'agenda',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Agenda ', style: { bold: true } },
              { type: 'link', url: 'https://example.com/agenda', text: 'doc' },
            ],
          },
          {
            type: 'rich_text_list',
            style: 'bullet',
            elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'Intro' }] }],
          },
        ],
      },
    ],
  };
}

function validHome(): HomeView {
  return {
    type: 'home',
    callback_id: 'home',
    private_metadata: '',
    blocks: [
      { type: 'header', text: plain('Your interviews') },
      {
        type: 'section',
        block_id: 'next',
        text: mrkdwn('*Ada Lovelace* at Analytical Engines, Tue 15:00'),
        accessory: { type: 'button', action_id: 'open', text: plain('Open'), value: 'interview:42' },
      },
      {
        type: 'actions',
        block_id: 'home_actions',
        elements: [
          { type: 'button', action_id: 'new', text: plain('New interview'), style: 'primary' },
          { type: 'overflow', action_id: 'more', options: [choice('Settings', 'settings'), choice('Help', 'help')] },
        ],
      },
      { type: 'context', elements: [plain('Times shown in Europe/Berlin')] },
    ],
  };
}

const MESSAGE_BLOCKS: KnownBlock[] = [
  { type: 'section', block_id: 'reminder', text: mrkdwn('Reminder: chat with *Ada* at 15:00') },
  { type: 'markdown', text: '**Prep**: read their [profile](https://example.com)' },
  {
    type: 'actions',
    block_id: 'reminder_actions',
    elements: [
      { type: 'button', action_id: 'done', text: plain('Done'), value: '42' },
      { type: 'button', action_id: 'snooze', text: plain('Snooze'), value: '42' },
    ],
  },
];

function validMessage(): { text: string; blocks: KnownBlock[] } {
  return { text: 'Reminder: chat with Ada at 15:00', blocks: structuredClone(MESSAGE_BLOCKS) };
}

function fixture(surface: Surface): unknown {
  if (surface === 'modal') return validModal();
  if (surface === 'home') return validHome();
  return validMessage();
}

const REMOVE = Symbol('remove');

/** A copy of `payload` with the value at `pointer` replaced (or removed); throws on a pointer that misses. */
function change(payload: unknown, pointer: string, value: unknown): unknown {
  const copy: unknown = structuredClone(payload);
  const keys = pointer.split('/').slice(1);
  const last = keys.pop();
  let target: unknown = copy;
  for (const key of keys) {
    if (typeof target !== 'object' || target === null || !(key in target))
      throw new Error(`pointer ${pointer} misses at ${key}`);
    target = (target as Record<string, unknown>)[key];
  }
  if (last === undefined || typeof target !== 'object' || target === null) throw new Error(`bad pointer ${pointer}`);
  const record = target as Record<string, unknown>;
  if (value === REMOVE) {
    if (!(last in record)) throw new Error(`pointer ${pointer} names nothing to remove`);
    delete record[last];
  } else {
    record[last] = value;
  }
  return copy;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const long = (length: number) => 'x'.repeat(length);
const url = (length: number) => `https://example.com/${long(length - 'https://example.com/'.length)}`;

// Paths into validModal().
const HELP_BUTTON = '/blocks/1/accessory';
const OVERFLOW = '/blocks/2/accessory';
const SELECT = '/blocks/5/elements/0';
const DATEPICKER = '/blocks/5/elements/1';
const TIMEPICKER = '/blocks/5/elements/2';
const DATETIMEPICKER = '/blocks/5/elements/3';
const CHECKBOXES = '/blocks/5/elements/4';
const RADIOS = '/blocks/5/elements/5';
const EXTERNAL = '/blocks/5/elements/6';
const TEXT_INPUT = '/blocks/6/element';
const MULTI_SELECT = '/blocks/7/element';

interface Case {
  readonly rule: string;
  readonly surface: Surface;
  /** JSON pointer into the valid fixture to replace; '' replaces nothing (used with `payload`). */
  readonly pointer: string;
  readonly value: unknown;
  /** Where the violation is reported and a fragment of its message. */
  readonly at: string;
  readonly says: string;
  /** How many violations the change causes in total (default 1): guards against noise. */
  readonly count?: number;
}

const cases: Case[] = [
  // Views
  { rule: 'modal type', surface: 'modal', pointer: '/type', value: 'home', at: '/type', says: 'must be "modal"' },
  {
    rule: 'modal title required',
    surface: 'modal',
    pointer: '/title',
    value: REMOVE,
    at: '/title',
    says: 'is required',
  },
  {
    rule: 'modal title <= 24',
    surface: 'modal',
    pointer: '/title',
    value: plain(long(25)),
    at: '/title/text',
    says: 'is 25 characters, max 24',
  },
  {
    rule: 'modal title plain_text',
    surface: 'modal',
    pointer: '/title',
    value: mrkdwn('Hi'),
    at: '/title/type',
    says: 'must be plain_text',
  },
  {
    rule: 'modal submit <= 24',
    surface: 'modal',
    pointer: '/submit',
    value: plain(long(25)),
    at: '/submit/text',
    says: 'max 24',
  },
  {
    rule: 'modal close <= 24',
    surface: 'modal',
    pointer: '/close',
    value: plain(long(25)),
    at: '/close/text',
    says: 'max 24',
  },
  {
    rule: 'modal close plain_text',
    surface: 'modal',
    pointer: '/close',
    value: mrkdwn('Bye'),
    at: '/close/type',
    says: 'must be plain_text',
  },
  {
    rule: 'modal with input blocks needs submit',
    surface: 'modal',
    pointer: '/submit',
    value: REMOVE,
    at: '/submit',
    says: 'is required because /blocks/6 is an input block',
  },
  {
    rule: 'private_metadata <= 3000',
    surface: 'modal',
    pointer: '/private_metadata',
    value: long(3001),
    at: '/private_metadata',
    says: 'max 3000',
  },
  {
    rule: 'callback_id <= 255',
    surface: 'modal',
    pointer: '/callback_id',
    value: long(256),
    at: '/callback_id',
    says: 'max 255',
  },
  {
    rule: 'external_id <= 255',
    surface: 'modal',
    pointer: '/external_id',
    value: long(256),
    at: '/external_id',
    says: 'max 255',
  },
  {
    rule: 'modal blocks <= 100',
    surface: 'modal',
    pointer: '/blocks',
    value: many(101, () => ({ type: 'divider' })),
    at: '/blocks',
    says: 'has 101 blocks, max 100',
  },
  {
    rule: 'view blocks required',
    surface: 'modal',
    pointer: '/blocks',
    value: REMOVE,
    at: '/blocks',
    says: 'is required',
  },
  {
    rule: 'serialized view <= 250 kB',
    surface: 'modal',
    pointer: '/blocks',
    value: many(100, () => ({ type: 'section', text: plain(long(2600)) })),
    at: '/',
    says: 'view_too_large',
  },
  {
    rule: 'one focus_on_load per view',
    surface: 'modal',
    pointer: `${MULTI_SELECT}/focus_on_load`,
    value: true,
    at: '/',
    says: 'only one element may set focus_on_load',
  },
  { rule: 'home type', surface: 'home', pointer: '/type', value: 'modal', at: '/type', says: 'must be "home"' },
  {
    rule: 'home has no submit',
    surface: 'home',
    pointer: '/submit',
    value: plain('Save'),
    at: '/submit',
    says: 'must not have submit',
  },
  {
    rule: 'home has no close',
    surface: 'home',
    pointer: '/close',
    value: plain('Close'),
    at: '/close',
    says: 'must not have close',
  },
  {
    rule: 'home blocks <= 100',
    surface: 'home',
    pointer: '/blocks',
    value: many(101, () => ({ type: 'divider' })),
    at: '/blocks',
    says: 'max 100 for a home',
  },

  // Messages
  {
    rule: 'message text required',
    surface: 'message',
    pointer: '/text',
    value: REMOVE,
    at: '/text',
    says: 'is required',
  },
  {
    rule: 'message text not blank',
    surface: 'message',
    pointer: '/text',
    value: '  ',
    at: '/text',
    says: 'must not be blank',
  },
  {
    rule: 'message text <= 40000',
    surface: 'message',
    pointer: '/text',
    value: long(40001),
    at: '/text',
    says: 'max 40000',
  },
  {
    rule: 'message blocks <= 50',
    surface: 'message',
    pointer: '/blocks',
    value: many(51, () => ({ type: 'divider' })),
    at: '/blocks',
    says: 'has 51 blocks, max 50',
  },
  {
    rule: 'message blocks as JSON string <= 50',
    surface: 'message',
    pointer: '/blocks',
    value: JSON.stringify(many(51, () => ({ type: 'divider' }))),
    at: '/blocks',
    says: 'max 50',
  },
  {
    rule: 'message blocks string must be JSON',
    surface: 'message',
    pointer: '/blocks',
    value: '[{"type":',
    at: '/blocks',
    says: 'not valid JSON',
  },
  {
    rule: 'markdown block <= 12000',
    surface: 'message',
    pointer: '/blocks/1/text',
    value: long(12001),
    at: '/blocks/1/text',
    says: 'max 12000',
  },
  {
    rule: 'message block_ids unique',
    surface: 'message',
    pointer: '/blocks/2/block_id',
    value: 'reminder',
    at: '/blocks/2/block_id',
    says: 'duplicate block_id "reminder" (first used at /blocks/0)',
  },

  // Blocks
  {
    rule: 'known block type',
    surface: 'modal',
    pointer: '/blocks/3/type',
    value: 'video',
    at: '/blocks/3/type',
    says: 'unknown block type "video"',
  },
  {
    rule: 'block is an object',
    surface: 'modal',
    pointer: '/blocks/3',
    value: 'divider',
    at: '/blocks/3',
    says: 'must be an object',
  },
  {
    rule: 'no unknown block properties',
    surface: 'modal',
    pointer: '/blocks/3/text',
    value: plain('x'),
    at: '/blocks/3/text',
    says: 'not a property Slack accepts',
  },
  {
    rule: 'block_id <= 255',
    surface: 'modal',
    pointer: '/blocks/3/block_id',
    value: long(256),
    at: '/blocks/3/block_id',
    says: 'max 255',
  },
  {
    rule: 'block_id not empty',
    surface: 'modal',
    pointer: '/blocks/3/block_id',
    value: '',
    at: '/blocks/3/block_id',
    says: 'must not be empty',
  },
  {
    rule: 'block_id unique in view',
    surface: 'modal',
    pointer: '/blocks/8/block_id',
    value: 'title',
    at: '/blocks/8/block_id',
    says: 'duplicate block_id "title" (first used at /blocks/0)',
  },
  {
    rule: 'section text <= 3000',
    surface: 'modal',
    pointer: '/blocks/1/text',
    value: mrkdwn(long(3001)),
    at: '/blocks/1/text/text',
    says: 'max 3000',
  },
  {
    rule: 'section needs text or fields',
    surface: 'modal',
    pointer: '/blocks/1/text',
    value: REMOVE,
    at: '/blocks/1',
    says: 'needs text or fields',
  },
  {
    rule: 'section fields <= 10',
    surface: 'modal',
    pointer: '/blocks/2/fields',
    value: many(11, () => plain('f')),
    at: '/blocks/2/fields',
    says: 'has 11 items, max 10',
  },
  {
    rule: 'section field <= 2000',
    surface: 'modal',
    pointer: '/blocks/2/fields/1',
    value: mrkdwn(long(2001)),
    at: '/blocks/2/fields/1/text',
    says: 'max 2000',
  },
  {
    rule: 'header <= 150',
    surface: 'modal',
    pointer: '/blocks/0/text/text',
    value: long(151),
    at: '/blocks/0/text/text',
    says: 'max 150',
  },
  {
    rule: 'header plain_text',
    surface: 'modal',
    pointer: '/blocks/0/text',
    value: mrkdwn('*Plan*'),
    at: '/blocks/0/text/type',
    says: 'must be plain_text',
  },
  {
    rule: 'text not empty',
    surface: 'modal',
    pointer: '/blocks/0/text/text',
    value: '',
    at: '/blocks/0/text/text',
    says: 'must not be empty',
  },
  {
    rule: 'text object type',
    surface: 'modal',
    pointer: '/blocks/1/text/type',
    value: 'text',
    at: '/blocks/1/text/type',
    says: 'must be plain_text or mrkdwn',
  },
  {
    rule: 'text object is an object',
    surface: 'modal',
    pointer: '/blocks/1/text',
    value: 'hello',
    at: '/blocks/1/text',
    says: 'must be a text object',
  },
  {
    rule: 'no emoji on mrkdwn',
    surface: 'modal',
    pointer: '/blocks/1/text/emoji',
    value: true,
    at: '/blocks/1/text/emoji',
    says: 'not a property',
  },
  {
    rule: 'context <= 10 elements',
    surface: 'modal',
    pointer: '/blocks/4/elements',
    value: many(11, () => plain('c')),
    at: '/blocks/4/elements',
    says: 'max 10',
  },
  {
    rule: 'context >= 1 element',
    surface: 'modal',
    pointer: '/blocks/4/elements',
    value: [],
    at: '/blocks/4/elements',
    says: 'min 1',
  },
  {
    rule: 'context image alt_text',
    surface: 'modal',
    pointer: '/blocks/4/elements/1/alt_text',
    value: REMOVE,
    at: '/blocks/4/elements/1/alt_text',
    says: 'is required',
  },
  {
    rule: 'actions <= 25 elements',
    surface: 'modal',
    pointer: '/blocks/5/elements',
    value: many(26, (index) => ({ type: 'button', action_id: `b${index}`, text: plain('Go') })),
    at: '/blocks/5/elements',
    says: 'has 26 items, max 25',
  },
  {
    rule: 'actions >= 1 element',
    surface: 'modal',
    pointer: '/blocks/5/elements',
    value: [],
    at: '/blocks/5/elements',
    says: 'min 1',
  },
  {
    rule: 'input label <= 2000',
    surface: 'modal',
    pointer: '/blocks/6/label',
    value: plain(long(2001)),
    at: '/blocks/6/label/text',
    says: 'max 2000',
  },
  {
    rule: 'input label required',
    surface: 'modal',
    pointer: '/blocks/6/label',
    value: REMOVE,
    at: '/blocks/6/label',
    says: 'is required',
  },
  {
    rule: 'input label plain_text',
    surface: 'modal',
    pointer: '/blocks/6/label',
    value: mrkdwn('*Co*'),
    at: '/blocks/6/label/type',
    says: 'must be plain_text',
  },
  {
    rule: 'input hint <= 2000',
    surface: 'modal',
    pointer: '/blocks/6/hint',
    value: plain(long(2001)),
    at: '/blocks/6/hint/text',
    says: 'max 2000',
  },
  {
    rule: 'input needs an element',
    surface: 'modal',
    pointer: '/blocks/6/element',
    value: REMOVE,
    at: '/blocks/6/element',
    says: 'must have an element',
  },
  {
    rule: 'no button in input',
    surface: 'modal',
    pointer: TEXT_INPUT,
    value: { type: 'button', text: plain('x') },
    at: `${TEXT_INPUT}/type`,
    says: 'not allowed in an input block',
  },
  {
    rule: 'no text input as accessory',
    surface: 'modal',
    pointer: HELP_BUTTON,
    value: { type: 'plain_text_input' },
    at: `${HELP_BUTTON}/type`,
    says: 'not allowed in a section accessory',
  },
  {
    rule: 'image alt_text <= 2000',
    surface: 'modal',
    pointer: '/blocks/8/alt_text',
    value: long(2001),
    at: '/blocks/8/alt_text',
    says: 'max 2000',
  },
  {
    rule: 'image url <= 3000',
    surface: 'modal',
    pointer: '/blocks/8/image_url',
    value: url(3001),
    at: '/blocks/8/image_url',
    says: 'max 3000',
  },
  {
    rule: 'image url is http(s)',
    surface: 'modal',
    pointer: '/blocks/8/image_url',
    value: 'example.com/map.png',
    at: '/blocks/8/image_url',
    says: 'http(s) URL',
  },
  {
    rule: 'image title plain_text',
    surface: 'modal',
    pointer: '/blocks/8/title',
    value: mrkdwn('*x*'),
    at: '/blocks/8/title/type',
    says: 'must be plain_text',
  },
  {
    rule: 'rich_text element type',
    surface: 'modal',
    pointer: '/blocks/9/elements/0/type',
    value: 'rich_text_paragraph',
    at: '/blocks/9/elements/0/type',
    says: 'unknown rich_text element',
  },

  // Interactive elements
  {
    rule: 'action_id <= 255',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/action_id`,
    value: long(256),
    at: `${HELP_BUTTON}/action_id`,
    says: 'max 255',
  },
  {
    rule: 'action_id unique in block',
    surface: 'modal',
    pointer: '/blocks/5/elements/7/action_id',
    value: 'stage',
    at: '/blocks/5/elements/7/action_id',
    says: `duplicate action_id "stage" in this block (first used at ${SELECT})`,
  },
  {
    rule: 'button text <= 75',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/text`,
    value: plain(long(76)),
    at: `${HELP_BUTTON}/text/text`,
    says: 'max 75',
  },
  {
    rule: 'button text plain_text',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/text`,
    value: mrkdwn('*Help*'),
    at: `${HELP_BUTTON}/text/type`,
    says: 'must be plain_text',
  },
  {
    rule: 'button value <= 2000',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/value`,
    value: long(2001),
    at: `${HELP_BUTTON}/value`,
    says: 'max 2000',
  },
  {
    rule: 'button url <= 3000',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/url`,
    value: url(3001),
    at: `${HELP_BUTTON}/url`,
    says: 'max 3000',
  },
  {
    rule: 'button url is http(s)',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/url`,
    value: 'javascript:alert(1)',
    at: `${HELP_BUTTON}/url`,
    says: 'http(s) URL',
  },
  {
    rule: 'button style',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/style`,
    value: 'secondary',
    at: `${HELP_BUTTON}/style`,
    says: 'must be "primary" or "danger"',
  },
  {
    rule: 'confirm title <= 100',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/confirm/title`,
    value: plain(long(101)),
    at: `${HELP_BUTTON}/confirm/title/text`,
    says: 'max 100',
  },
  {
    rule: 'confirm text <= 300',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/confirm/text`,
    value: mrkdwn(long(301)),
    at: `${HELP_BUTTON}/confirm/text/text`,
    says: 'max 300',
  },
  {
    rule: 'confirm text required',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/confirm/text`,
    value: REMOVE,
    at: `${HELP_BUTTON}/confirm/text`,
    says: 'is required',
  },
  {
    rule: 'confirm button <= 30',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/confirm/confirm`,
    value: plain(long(31)),
    at: `${HELP_BUTTON}/confirm/confirm/text`,
    says: 'max 30',
  },
  {
    rule: 'deny button <= 30',
    surface: 'modal',
    pointer: `${HELP_BUTTON}/confirm/deny`,
    value: plain(long(31)),
    at: `${HELP_BUTTON}/confirm/deny/text`,
    says: 'max 30',
  },
  {
    rule: 'placeholder <= 150',
    surface: 'modal',
    pointer: `${SELECT}/placeholder`,
    value: plain(long(151)),
    at: `${SELECT}/placeholder/text`,
    says: 'max 150',
  },
  {
    rule: 'placeholder plain_text',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/placeholder`,
    value: mrkdwn('x'),
    at: `${TEXT_INPUT}/placeholder/type`,
    says: 'must be plain_text',
  },
  {
    rule: 'static_select <= 100 options',
    surface: 'modal',
    pointer: `${SELECT}/options`,
    value: [...STAGES, ...many(98, (index) => choice(`Stage ${index}`, `s${index}`))],
    at: `${SELECT}/options`,
    says: 'has 101 items, max 100',
  },
  {
    rule: 'static_select >= 1 option',
    surface: 'modal',
    pointer: `${SELECT}/options`,
    value: [],
    at: `${SELECT}/options`,
    says: 'min 1',
    count: 2,
  },
  {
    rule: 'static_select options xor groups',
    surface: 'modal',
    pointer: `${SELECT}/options`,
    value: REMOVE,
    at: SELECT,
    says: 'exactly one of options or option_groups',
    count: 2,
  },
  {
    rule: 'select option text <= 75',
    surface: 'modal',
    pointer: `${SELECT}/options/0/text`,
    value: plain(long(76)),
    at: `${SELECT}/options/0/text/text`,
    says: 'max 75',
  },
  {
    rule: 'select option text plain_text',
    surface: 'modal',
    pointer: `${SELECT}/options/0/text`,
    value: mrkdwn('*Reached*'),
    at: `${SELECT}/options/0/text/type`,
    says: 'must be plain_text',
  },
  {
    rule: 'option value <= 75',
    surface: 'modal',
    pointer: `${SELECT}/options/0/value`,
    value: long(76),
    at: `${SELECT}/options/0/value`,
    says: 'max 75',
  },
  {
    rule: 'option value required',
    surface: 'modal',
    pointer: `${SELECT}/options/0/value`,
    value: REMOVE,
    at: `${SELECT}/options/0/value`,
    says: 'is required',
  },
  {
    rule: 'option url only on overflow',
    surface: 'modal',
    pointer: `${SELECT}/options/0/url`,
    value: 'https://example.com',
    at: `${SELECT}/options/0/url`,
    says: 'not a property',
  },
  {
    rule: 'initial_option among options',
    surface: 'modal',
    pointer: `${SELECT}/initial_option`,
    value: choice('Ghosted', 'ghosted'),
    at: `${SELECT}/initial_option`,
    says: "not one of the element's options",
  },
  {
    rule: 'initial_option matches text too',
    surface: 'modal',
    pointer: `${SELECT}/initial_option/text/text`,
    value: 'Booked',
    at: `${SELECT}/initial_option`,
    says: "not one of the element's options",
  },
  {
    rule: 'option_groups <= 100',
    surface: 'modal',
    pointer: `${MULTI_SELECT}/option_groups`,
    value: [
      { label: plain('Company'), options: [choice('Culture', 'culture')] },
      ...many(100, (index) => ({ label: plain(`G${index}`), options: [choice(`O${index}`, `o${index}`)] })),
    ],
    at: `${MULTI_SELECT}/option_groups`,
    says: 'has 101 items, max 100',
  },
  {
    rule: 'option group label <= 75',
    surface: 'modal',
    pointer: `${MULTI_SELECT}/option_groups/0/label`,
    value: plain(long(76)),
    at: `${MULTI_SELECT}/option_groups/0/label/text`,
    says: 'max 75',
  },
  {
    rule: 'multi initial_options among grouped options',
    surface: 'modal',
    pointer: `${MULTI_SELECT}/initial_options/0/value`,
    value: 'nope',
    at: `${MULTI_SELECT}/initial_options/0`,
    says: 'not one of',
  },
  {
    rule: 'max_selected_items >= 1',
    surface: 'modal',
    pointer: `${MULTI_SELECT}/max_selected_items`,
    value: 0,
    at: `${MULTI_SELECT}/max_selected_items`,
    says: '>= 1',
  },
  {
    rule: 'checkboxes <= 10 options',
    surface: 'modal',
    pointer: `${CHECKBOXES}/options`,
    value: [
      { text: mrkdwn('*Read* their profile'), value: 'profile' },
      ...many(10, (index) => choice(`C${index}`, `c${index}`)),
    ],
    at: `${CHECKBOXES}/options`,
    says: 'has 11 items, max 10',
  },
  {
    rule: 'checkboxes initial_options among options',
    surface: 'modal',
    pointer: `${CHECKBOXES}/initial_options`,
    value: [choice('Bake a cake', 'cake')],
    at: `${CHECKBOXES}/initial_options/0`,
    says: 'not one of',
  },
  {
    rule: 'checkboxes initial_options is an array',
    surface: 'modal',
    pointer: `${CHECKBOXES}/initial_options`,
    value: { text: mrkdwn('*Read* their profile'), value: 'profile' },
    at: `${CHECKBOXES}/initial_options`,
    says: 'must be an array',
  },
  {
    rule: 'checkbox option text <= 75',
    surface: 'modal',
    pointer: `${CHECKBOXES}/options/1/text`,
    value: plain(long(76)),
    at: `${CHECKBOXES}/options/1/text/text`,
    says: 'max 75',
  },
  {
    rule: 'checkbox description <= 75',
    surface: 'modal',
    pointer: `${CHECKBOXES}/options/1/description`,
    value: plain(long(76)),
    at: `${CHECKBOXES}/options/1/description/text`,
    says: 'max 75',
  },
  {
    rule: 'radio_buttons <= 10 options',
    surface: 'modal',
    pointer: `${RADIOS}/options`,
    value: [choice('Coffee', 'coffee'), ...many(10, (index) => choice(`R${index}`, `r${index}`))],
    at: `${RADIOS}/options`,
    says: 'max 10',
  },
  {
    rule: 'radio initial_option among options',
    surface: 'modal',
    pointer: `${RADIOS}/initial_option`,
    value: choice('Phone', 'phone'),
    at: `${RADIOS}/initial_option`,
    says: 'not one of',
  },
  {
    rule: 'overflow >= 2 options',
    surface: 'modal',
    pointer: `${OVERFLOW}/options`,
    value: [choice('Edit', 'edit')],
    at: `${OVERFLOW}/options`,
    says: 'has 1 items, min 2',
  },
  {
    rule: 'overflow <= 5 options',
    surface: 'modal',
    pointer: `${OVERFLOW}/options`,
    value: many(6, (index) => choice(`O${index}`, `o${index}`)),
    at: `${OVERFLOW}/options`,
    says: 'has 6 items, max 5',
  },
  {
    rule: 'overflow option url is http(s)',
    surface: 'modal',
    pointer: `${OVERFLOW}/options/1/url`,
    value: 'docs',
    at: `${OVERFLOW}/options/1/url`,
    says: 'http(s) URL',
  },
  {
    rule: 'initial_value <= max_length',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/initial_value`,
    value: long(101),
    at: `${TEXT_INPUT}/initial_value`,
    says: 'is 101 characters, max 100',
  },
  {
    rule: 'max_length >= 1',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/max_length`,
    value: 0,
    at: `${TEXT_INPUT}/max_length`,
    says: '1..3000',
    count: 2,
  },
  {
    rule: 'max_length <= 3000',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/max_length`,
    value: 3001,
    at: `${TEXT_INPUT}/max_length`,
    says: '1..3000',
  },
  {
    rule: 'max_length whole',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/max_length`,
    value: 10.5,
    at: `${TEXT_INPUT}/max_length`,
    says: 'whole number',
  },
  {
    rule: 'min_length <= 3000',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/min_length`,
    value: 3001,
    at: `${TEXT_INPUT}/min_length`,
    says: '0..3000',
    count: 2,
  },
  {
    rule: 'min_length >= 0',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/min_length`,
    value: -1,
    at: `${TEXT_INPUT}/min_length`,
    says: '0..3000',
  },
  {
    rule: 'min_length <= max_length',
    surface: 'modal',
    pointer: `${TEXT_INPUT}/min_length`,
    value: 101,
    at: `${TEXT_INPUT}/min_length`,
    says: 'greater than max_length 100',
  },
  {
    rule: 'datepicker YYYY-MM-DD',
    surface: 'modal',
    pointer: `${DATEPICKER}/initial_date`,
    value: '2024-2-1',
    at: `${DATEPICKER}/initial_date`,
    says: 'YYYY-MM-DD',
  },
  {
    rule: 'datepicker real month',
    surface: 'modal',
    pointer: `${DATEPICKER}/initial_date`,
    value: '2024-13-01',
    at: `${DATEPICKER}/initial_date`,
    says: 'YYYY-MM-DD',
  },
  {
    rule: 'datepicker real day',
    surface: 'modal',
    pointer: `${DATEPICKER}/initial_date`,
    value: '2023-02-29',
    at: `${DATEPICKER}/initial_date`,
    says: 'YYYY-MM-DD',
  },
  {
    rule: 'timepicker hours',
    surface: 'modal',
    pointer: `${TIMEPICKER}/initial_time`,
    value: '24:00',
    at: `${TIMEPICKER}/initial_time`,
    says: 'HH:mm',
  },
  {
    rule: 'timepicker two-digit hours',
    surface: 'modal',
    pointer: `${TIMEPICKER}/initial_time`,
    value: '9:30',
    at: `${TIMEPICKER}/initial_time`,
    says: 'HH:mm',
  },
  {
    rule: 'timepicker minutes',
    surface: 'modal',
    pointer: `${TIMEPICKER}/initial_time`,
    value: '12:60',
    at: `${TIMEPICKER}/initial_time`,
    says: 'HH:mm',
  },
  {
    rule: 'datetimepicker seconds not ms',
    surface: 'modal',
    pointer: `${DATETIMEPICKER}/initial_date_time`,
    value: 1666869900000,
    at: `${DATETIMEPICKER}/initial_date_time`,
    says: 'whole UNIX seconds',
  },
  {
    rule: 'datetimepicker non-negative',
    surface: 'modal',
    pointer: `${DATETIMEPICKER}/initial_date_time`,
    value: -1,
    at: `${DATETIMEPICKER}/initial_date_time`,
    says: 'whole UNIX seconds',
  },
  {
    rule: 'datetimepicker integer',
    surface: 'modal',
    pointer: `${DATETIMEPICKER}/initial_date_time`,
    value: 1666869900.5,
    at: `${DATETIMEPICKER}/initial_date_time`,
    says: 'whole UNIX seconds',
  },
  {
    rule: 'datetimepicker number',
    surface: 'modal',
    pointer: `${DATETIMEPICKER}/initial_date_time`,
    value: '1666869900',
    at: `${DATETIMEPICKER}/initial_date_time`,
    says: 'whole UNIX seconds',
  },
  {
    rule: 'external min_query_length >= 0',
    surface: 'modal',
    pointer: `${EXTERNAL}/min_query_length`,
    value: -1,
    at: `${EXTERNAL}/min_query_length`,
    says: '>= 0',
  },
  {
    rule: 'external min_query_length whole',
    surface: 'modal',
    pointer: `${EXTERNAL}/min_query_length`,
    value: 1.5,
    at: `${EXTERNAL}/min_query_length`,
    says: 'whole number',
  },
  {
    rule: 'external initial_option well-formed',
    surface: 'modal',
    pointer: `${EXTERNAL}/initial_option`,
    value: { text: plain('Ada'), value: long(76) },
    at: `${EXTERNAL}/initial_option/value`,
    says: 'max 75',
  },
  {
    rule: 'home button text <= 75',
    surface: 'home',
    pointer: '/blocks/1/accessory/text/text',
    value: long(76),
    at: '/blocks/1/accessory/text/text',
    says: 'max 75',
  },
  {
    rule: 'home overflow >= 2 options',
    surface: 'home',
    pointer: '/blocks/2/elements/1/options',
    value: [choice('Help', 'help')],
    at: '/blocks/2/elements/1/options',
    says: 'min 2',
  },
  {
    rule: 'message button value <= 2000',
    surface: 'message',
    pointer: '/blocks/2/elements/0/value',
    value: long(2001),
    at: '/blocks/2/elements/0/value',
    says: 'max 2000',
  },
  {
    rule: 'message action_id unique in block',
    surface: 'message',
    pointer: '/blocks/2/elements/1/action_id',
    value: 'done',
    at: '/blocks/2/elements/1/action_id',
    says: 'duplicate action_id "done"',
  },
];

describe('blockKitViolations', () => {
  it.each(['modal', 'home', 'message'] as const)('accepts a valid %s', (surface) => {
    expect(blockKitViolations(surface, fixture(surface))).toEqual([]);
    expect(() => assertWithinBlockKitLimits(surface, fixture(surface))).not.toThrow();
  });

  it('accepts message blocks given as a JSON string, as they arrive form-encoded', () => {
    const message = { text: 'Reminder', blocks: JSON.stringify(MESSAGE_BLOCKS) };
    expect(blockKitViolations('message', message)).toEqual([]);
  });

  it('accepts a message with text only', () => {
    expect(blockKitViolations('message', { text: 'Hello' })).toEqual([]);
  });

  it('accepts the same action_id in different blocks', () => {
    const modal = change(validModal(), '/blocks/5/elements/7/action_id', 'help');
    expect(blockKitViolations('modal', modal)).toEqual([]);
  });

  it('rejects a payload that is not an object', () => {
    expect(blockKitViolations('modal', null)).toEqual(['/: payload must be an object, got null']);
    expect(blockKitViolations('message', [])).toEqual(['/: payload must be an object, got array']);
  });

  it.each(cases)('$surface: $rule', ({ surface, pointer, value, at, says, count }) => {
    const payload = change(fixture(surface), pointer, value);
    const violations = blockKitViolations(surface, payload);
    expect(violations).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${escapeRegExp(at)}: .*${escapeRegExp(says)}`))]),
    );
    expect(violations).toHaveLength(count ?? 1);
  });

  // Limits are inclusive: exactly at the limit must pass, so none of the rules above is off by one.
  const boundaries: Array<readonly [rule: string, surface: Surface, pointer: string, value: unknown]> = [
    ['modal title = 24', 'modal', '/title', plain(long(24))],
    ['modal blocks = 100', 'modal', '/blocks', many(100, () => ({ type: 'divider' }))],
    ['message blocks = 50', 'message', '/blocks', many(50, () => ({ type: 'divider' }))],
    ['message text = 40000', 'message', '/text', long(40000)],
    ['section text = 3000', 'modal', '/blocks/1/text', mrkdwn(long(3000))],
    ['section fields = 10 x 2000', 'modal', '/blocks/2/fields', many(10, () => plain(long(2000)))],
    ['header = 150', 'modal', '/blocks/0/text', plain(long(150))],
    ['block_id = 255', 'modal', '/blocks/3/block_id', long(255)],
    ['private_metadata = 3000', 'modal', '/private_metadata', long(3000)],
    ['button text = 75', 'modal', `${HELP_BUTTON}/text`, plain(long(75))],
    ['button url = 3000', 'modal', `${HELP_BUTTON}/url`, url(3000)],
    ['option value = 75', 'modal', `${OVERFLOW}/options/0/value`, long(75)],
    ['overflow = 5 options', 'modal', `${OVERFLOW}/options`, many(5, (index) => choice(`O${index}`, `o${index}`))],
    ['context = 10 elements', 'modal', '/blocks/4/elements', many(10, () => plain('c'))],
    ['max_length = 3000', 'modal', `${TEXT_INPUT}/max_length`, 3000],
    ['initial_value = max_length', 'modal', `${TEXT_INPUT}/initial_value`, long(100)],
    ['datetimepicker = 9999999999', 'modal', `${DATETIMEPICKER}/initial_date_time`, 9_999_999_999],
    ['min_query_length = 0', 'modal', `${EXTERNAL}/min_query_length`, 0],
  ];

  it.each(boundaries)('accepts a value exactly at the limit: %s', (_rule, surface, pointer, value) => {
    expect(blockKitViolations(surface, change(fixture(surface), pointer, value))).toEqual([]);
  });
});

describe('assertWithinBlockKitLimits', () => {
  it('throws one error listing every violation', () => {
    const home = change(change(validHome(), '/submit', plain('Save')), '/blocks/0/text/text', long(151));
    expect(() => assertWithinBlockKitLimits('home', home)).toThrow(
      'home breaks Block Kit limits (2):\n  - /submit: a home view must not have submit\n  - /blocks/0/text/text: is 151 characters, max 150',
    );
  });
});

describe('date tokens (<!date^seconds^tokens[^link]|fallback>)', () => {
  const at = (text: string) => change(validHome(), '/blocks/1/text', mrkdwn(text));
  const GOOD = '<!date^1793736000^{date_short_pretty} at {time}|Tue 3 Nov 2026, 15:00>';

  it.each([
    ['a day and a time', GOOD],
    ['two tokens and words around them', `Meet ${GOOD}–<!date^1793737800^{time}|15:30 EST> · 21:00 for Ada`],
    ['a link part', '<!date^1793736000^{date_long_pretty}^https://example.com/m/1|Tue 3 Nov 2026>'],
    ['an escaped fallback', '<!date^1793736000^{date}|Tue &lt;3&gt; Nov &amp; more>'],
    [
      'every documented token',
      `<!date^0^{date_num} {date} {date_short} {date_long} {date_long_full} {date_pretty} {date_short_pretty} {date_long_pretty} {date_slash} {day_divider_pretty} {time} {time_secs} {ago}|x>`,
    ],
  ])('accepts %s', (_what, text) => {
    expect(blockKitViolations('home', at(text))).toEqual([]);
  });

  it.each([
    ['a missing fallback', '<!date^1793736000^{time}>', 'has no fallback'],
    ['an empty fallback', '<!date^1793736000^{time}| >', 'has an empty fallback'],
    ['seconds that are not a whole number', '<!date^1793736000.5^{time}|15:00>', 'not a whole number'],
    ['a date written as text', '<!date^2026-11-03^{time}|15:00>', 'not a whole number'],
    ['an unknown token', '<!date^1793736000^{date_short_pretty} at {clock}|15:00>', 'unknown token(s) {clock}'],
    ['no token at all', '<!date^1793736000^at three|15:00>', 'has no {token}'],
    ['a stray brace', '<!date^1793736000^{time} }|15:00>', 'stray brace'],
    ['a missing part', '<!date^{time}|15:00>', 'is not "<!date^seconds^tokens[^link]|fallback>"'],
    ['a link that is not a URL', '<!date^1793736000^{time}^not a link|15:00>', 'link that is not a URL'],
    ['a "|" in the fallback', '<!date^1793736000^{time}|15:00|16:00>', 'has a "|" in its fallback'],
    ['an unescaped "<" in the fallback', '<!date^1793736000^{time}|a <b>', 'unescaped "<"'],
    ['a token never closed', 'at <!date^1793736000^{time}|15:00', 'is not closed'],
  ])('rejects %s', (_what, text, says) => {
    const violations = blockKitViolations('home', at(text));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(new RegExp(`^/blocks/1/text/text: date token .*${escapeRegExp(says)}`));
  });

  it('rejects a token in plain_text, where Slack shows it as typed', () => {
    const home = change(validHome(), '/blocks/0/text', plain(GOOD));
    expect(blockKitViolations('home', home)).toEqual([
      '/blocks/0/text/text: a date token in plain_text shows as typed; use mrkdwn',
    ]);
  });

  it("checks a message's own text and its blocks", () => {
    const message = { text: 'At <!date^1793736000^{time}>', blocks: [{ type: 'section', text: mrkdwn(GOOD) }] };
    expect(blockKitViolations('message', message)).toEqual([
      expect.stringMatching(/^\/text: date token .*has no fallback/),
    ]);
  });
});
