import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { mrkdwn, plain, truncate } from '../text.js';

export const HOLIDAYS_MODAL = { callbackId: 'workspace_holidays', blockId: 'holidays', actionId: 'value' } as const;

const MAX_TEXT = 3000;

/**
 * The workspace's holidays, which business days for asks skip (weekends are skipped anyway). Everyone can see them;
 * only workspace admins and owners can change them. Pure.
 */
export function buildHolidaysModal(input: {
  days: { day: string; name: string | null }[];
  canEdit: boolean | null;
}): ModalView {
  const text = input.days.map((d) => (d.name ? `${d.day} ${d.name}` : d.day)).join('\n');
  const intro = mrkdwn(
    'The 3B7 follow-ups of asks count *business days*: weekends are skipped, and so are the days listed here, for everyone in this workspace.',
  );
  if (input.canEdit === false) {
    return {
      type: 'modal',
      callback_id: HOLIDAYS_MODAL.callbackId,
      title: plain('Holidays'),
      close: plain('Close'),
      blocks: [
        { type: 'section', text: intro },
        { type: 'section', text: plain(text === '' ? 'No holidays set.' : truncate(text, 2900)) },
        { type: 'context', elements: [mrkdwn('Only workspace admins and owners can change them.')] },
      ],
    };
  }
  return {
    type: 'modal',
    callback_id: HOLIDAYS_MODAL.callbackId,
    title: plain('Holidays'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: intro },
      {
        type: 'input',
        block_id: HOLIDAYS_MODAL.blockId,
        optional: true,
        label: plain('Days that are not business days'),
        hint: plain('One a line: a date, then a name if you like. For example: 2026-12-25 Christmas Day'),
        element: {
          type: 'plain_text_input',
          action_id: HOLIDAYS_MODAL.actionId,
          multiline: true,
          max_length: MAX_TEXT,
          ...(text ? { initial_value: truncate(text, MAX_TEXT) } : {}),
        },
      },
      ...(input.canEdit === null
        ? [{ type: 'context' as const, elements: [mrkdwn('Only workspace admins and owners can change them.')] }]
        : []),
    ],
  };
}

const schema = z
  .object({
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }).loose())),
    }),
  })
  .loose();

/** The holiday lines submitted; null for a view without the field (never read as "no holidays", which would clear them). */
export function parseHolidaysSubmission(view: unknown): string | null {
  const parsed = schema.safeParse(view);
  if (!parsed.success) return null;
  const field = parsed.data.state.values[HOLIDAYS_MODAL.blockId]?.[HOLIDAYS_MODAL.actionId];
  return field === undefined ? null : (field.value ?? '');
}
