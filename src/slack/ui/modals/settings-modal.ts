import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { PURPOSE_MAX_CHARS, purposeProblem } from '../../../domain/asks/asks-service.js';
import {
  type ReminderSettings,
  SWITCHABLE_KINDS,
  type SwitchableKind,
} from '../../../domain/reminders/reminder-plan.js';
import { sharingSettingsBlocks } from '../consent/sharing-home.js';
import { mrkdwn, plain, truncate } from '../text.js';
import { subscribeButton } from './calendar-feed-modal.js';

export const SETTINGS_MODAL = {
  callbackId: 'reminder_settings',
  actionId: 'value',
  blocks: {
    kinds: 'kinds',
    prepLead: 'prep_lead',
    headsUpLead: 'heads_up_lead',
    quietStart: 'quiet_start',
    quietEnd: 'quiet_end',
    purpose: 'ask_purpose',
    calendar: 'calendar_feed',
  },
} as const;

const KIND_LABELS: Record<SwitchableKind, string> = {
  prep: 'Prep tips before the meeting',
  heads_up: 'A heads-up shortly before',
  debrief: 'A nudge to debrief right after',
  thank_you: 'Thank-you nudges',
  report_back: 'A report-back nudge two weeks later',
  asks: 'Ask follow-ups: after 3 and 7 business days without a reply',
};
export const PREP_LEAD_CHOICES = [3 * 60, 12 * 60, 24 * 60, 48 * 60] as const;
export const HEADS_UP_CHOICES = [15, 30, 60, 120] as const;

function hours(minutes: number): string {
  return minutes < 60 ? `${minutes} minutes before` : `${minutes / 60} hour${minutes === 60 ? '' : 's'} before`;
}
const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });
const kindOption = (kind: SwitchableKind) => option(KIND_LABELS[kind], kind);

/** `/infoview settings`: which reminders, how early, and the quiet hours. Pure. */
export function buildSettingsModal(
  settings: ReminderSettings,
  purpose: string | null = null,
  centreOn = false,
): ModalView {
  const enabled = SWITCHABLE_KINDS.filter((kind) => !settings.disabledKinds.includes(kind));
  const select = (blockId: string, label: string, choices: readonly number[], current: number): KnownBlock => {
    const options = [...new Set([...choices, current])].sort((a, b) => a - b).map((m) => option(hours(m), String(m)));
    return {
      type: 'input',
      block_id: blockId,
      label: plain(label),
      element: {
        type: 'static_select',
        action_id: SETTINGS_MODAL.actionId,
        options,
        initial_option: option(hours(current), String(current)),
      },
    };
  };
  return {
    type: 'modal',
    callback_id: SETTINGS_MODAL.callbackId,
    title: plain('Reminder settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: SETTINGS_MODAL.blocks.kinds,
        optional: true,
        label: plain('Send me'),
        element: {
          type: 'checkboxes',
          action_id: SETTINGS_MODAL.actionId,
          options: SWITCHABLE_KINDS.map(kindOption),
          ...(enabled.length > 0 ? { initial_options: enabled.map(kindOption) } : {}),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text:
              'Saving applies to your upcoming meetings and follow-ups at once. Turning a kind off stops its reminders that have not been sent; ' +
              'turning it back on brings them back for upcoming meetings and for follow-ups still in time. Nothing already sent is sent again.',
          },
        ],
      },
      select(SETTINGS_MODAL.blocks.prepLead, 'Prep tips', PREP_LEAD_CHOICES, settings.prepLeadMinutes),
      select(SETTINGS_MODAL.blocks.headsUpLead, 'Heads-up', HEADS_UP_CHOICES, settings.headsUpLeadMinutes),
      {
        type: 'input',
        block_id: SETTINGS_MODAL.blocks.quietStart,
        label: plain('Quiet hours start'),
        element: { type: 'timepicker', action_id: SETTINGS_MODAL.actionId, initial_time: settings.quietStart },
      },
      {
        type: 'input',
        block_id: SETTINGS_MODAL.blocks.quietEnd,
        label: plain('Quiet hours end'),
        hint: plain(
          'In your Slack time zone. Only the heads-up before a meeting you chose to hold comes during quiet hours.',
        ),
        element: { type: 'timepicker', action_id: SETTINGS_MODAL.actionId, initial_time: settings.quietEnd },
      },
      {
        type: 'input',
        block_id: SETTINGS_MODAL.blocks.purpose,
        optional: true,
        label: plain('Who I am and what I am exploring'),
        hint: plain(
          'One line for the drafts of your asks, e.g. "I am a chemistry graduate exploring a move into data science".',
        ),
        element: {
          type: 'plain_text_input',
          action_id: SETTINGS_MODAL.actionId,
          max_length: PURPOSE_MAX_CHARS,
          ...(purpose ? { initial_value: truncate(purpose, PURPOSE_MAX_CHARS) } : {}),
        },
      },
      { type: 'divider' },
      {
        type: 'section',
        block_id: SETTINGS_MODAL.blocks.calendar,
        text: mrkdwn('*Your calendar*: your meetings in Google Calendar, Apple Calendar or Outlook, kept up to date.'),
        accessory: subscribeButton(),
      },
      ...(centreOn ? sharingSettingsBlocks() : []),
    ],
  };
}

const value = z
  .object({
    selected_option: z.object({ value: z.string() }).loose().nullish(),
    selected_options: z.array(z.object({ value: z.string() }).loose()).nullish(),
    selected_time: z.string().nullish(),
    value: z.string().nullish(),
  })
  .loose();
const stateSchema = z
  .object({ state: z.object({ values: z.record(z.string(), z.record(z.string(), value)) }) })
  .loose();
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export type SettingsSubmission =
  | { ok: true; settings: ReminderSettings; purpose: string | null }
  | { ok: false; errors: Record<string, string> };

/** Reads the submitted settings; anything off comes back as errors keyed by block_id. */
export function parseSettingsSubmission(view: unknown): SettingsSubmission {
  const parsed = stateSchema.safeParse(view);
  if (!parsed.success)
    return {
      ok: false,
      errors: { [SETTINGS_MODAL.blocks.quietStart]: 'This form could not be read. Please try again.' },
    };
  const read = (block: string) => parsed.data.state.values[block]?.[SETTINGS_MODAL.actionId];
  const errors: Record<string, string> = {};
  const minutesFrom = (block: string, choices: readonly number[]) => {
    const chosen = Number(read(block)?.selected_option?.value);
    if (!(choices as readonly number[]).includes(chosen)) errors[block] = 'Pick one of the choices.';
    return chosen;
  };
  const time = (block: string) => {
    const chosen = read(block)?.selected_time ?? '';
    if (!HHMM.test(chosen)) errors[block] = 'Pick a time.';
    return chosen;
  };
  const picked = new Set((read(SETTINGS_MODAL.blocks.kinds)?.selected_options ?? []).map((o) => o.value));
  const settings: ReminderSettings = {
    prepLeadMinutes: minutesFrom(SETTINGS_MODAL.blocks.prepLead, PREP_LEAD_CHOICES),
    headsUpLeadMinutes: minutesFrom(SETTINGS_MODAL.blocks.headsUpLead, HEADS_UP_CHOICES),
    quietStart: time(SETTINGS_MODAL.blocks.quietStart),
    quietEnd: time(SETTINGS_MODAL.blocks.quietEnd),
    disabledKinds: SWITCHABLE_KINDS.filter((kind) => !picked.has(kind)),
  };
  const purpose = read(SETTINGS_MODAL.blocks.purpose)?.value?.trim() || null;
  const purposeError = purposeProblem(purpose);
  if (purposeError !== null) errors[SETTINGS_MODAL.blocks.purpose] = purposeError;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings, purpose };
}
