import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { DRAFT_MAX_LENGTH } from '../../../domain/debriefs/debriefs-service.js';
import { plain, truncate } from '../text.js';

export const DRAFT_MODAL = { callbackId: 'edit_draft', blockId: 'draft_text', actionId: 'value' } as const;
export type DraftKind = 'thank_you' | 'report_back';

/** Edits a drafted note; what is saved is what the draft message shows from then on. */
export function buildDraftModal(meetingId: number, which: DraftKind, draft: string): ModalView {
  return {
    type: 'modal',
    callback_id: DRAFT_MODAL.callbackId,
    private_metadata: JSON.stringify({ meetingId, which }),
    title: plain(which === 'thank_you' ? 'Thank-you note' : 'Report-back note'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: DRAFT_MODAL.blockId,
        label: plain('Your note'),
        hint: plain('Empty it to go back to the drafted text.'),
        optional: true,
        element: {
          type: 'plain_text_input',
          action_id: DRAFT_MODAL.actionId,
          multiline: true,
          max_length: DRAFT_MAX_LENGTH,
          initial_value: truncate(draft, DRAFT_MAX_LENGTH),
        },
      },
    ],
  };
}

const schema = z
  .object({
    private_metadata: z.string(),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }).loose())),
    }),
  })
  .loose();
const metadata = z.object({ meetingId: z.number().int().positive(), which: z.enum(['thank_you', 'report_back']) });

export function parseDraftSubmission(view: unknown): { meetingId: number; which: DraftKind; text: string } | null {
  const parsed = schema.safeParse(view);
  if (!parsed.success) return null;
  try {
    const meta = metadata.safeParse(JSON.parse(parsed.data.private_metadata));
    if (!meta.success) return null;
    return { ...meta.data, text: parsed.data.state.values[DRAFT_MODAL.blockId]?.[DRAFT_MODAL.actionId]?.value ?? '' };
  } catch {
    return null;
  }
}
