import type { ActionsBlockElement, KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import type { MergeSummary } from '../../../domain/contacts/contact-merge-service.js';
import type { Contact } from '../../../domain/types.js';
import { contactButtons } from '../messages/contacts-messages.js';
import { contactLine } from '../messages/meeting-messages.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain, truncate } from '../text.js';

/** Every id of the merge views: the button on History and Edit, the choice, the confirmation. */
export const MERGE_CONTACT = {
  startActionId: 'contact_merge',
  chooseCallbackId: 'merge_contact_choose',
  confirmCallbackId: 'merge_contact_confirm',
  duplicateBlock: 'merge_duplicate',
  duplicateSearchActionId: 'merge_duplicate_search',
} as const;

/** The "Merge with…" button of a contact's History and Edit views. */
export function mergeButton(contact: { id: number }): ActionsBlockElement {
  return {
    type: 'button',
    action_id: MERGE_CONTACT.startActionId,
    text: plain('Merge with…'),
    value: String(contact.id),
  };
}

const name = (contact: Contact) => `*${escapeToFit(contact.name, 200)}*`;

/** Choose the duplicate to merge into `kept`: a type-ahead of the user's other contacts (they may have thousands). */
export function buildMergeChooseView(kept: Contact): ModalView {
  return {
    type: 'modal',
    callback_id: MERGE_CONTACT.chooseCallbackId,
    private_metadata: JSON.stringify({ keptId: kept.id }),
    title: plain('Merge contacts'),
    submit: plain('Next'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `Logged the same person twice? Pick the other entry: it moves into this one.\n${contactLine(kept)}`,
        ),
      },
      {
        type: 'input',
        block_id: MERGE_CONTACT.duplicateBlock,
        label: plain('The duplicate'),
        hint: plain(`Everything about it moves to ${truncate(kept.name, 100)}, and it goes. You see what moves first.`),
        element: {
          type: 'external_select',
          action_id: MERGE_CONTACT.duplicateSearchActionId,
          min_query_length: 0,
          placeholder: plain('Search your contacts'),
        },
      },
    ],
  };
}

const metadataSchema = z.object({
  keptId: z.number().int().positive(),
  duplicateId: z.number().int().positive().optional(),
});
const choiceSchema = z
  .object({
    private_metadata: z.string(),
    state: z
      .object({
        values: z.record(
          z.string(),
          z.record(
            z.string(),
            z.object({ selected_option: z.object({ value: z.string() }).loose().nullish() }).loose(),
          ),
        ),
      })
      .optional(),
  })
  .loose();

function metadataOf(view: unknown): { keptId: number; duplicateId?: number | undefined } | null {
  const parsed = choiceSchema.safeParse(view);
  if (!parsed.success) return null;
  try {
    const metadata = metadataSchema.safeParse(JSON.parse(parsed.data.private_metadata));
    return metadata.success ? metadata.data : null;
  } catch {
    return null;
  }
}

/** The kept contact and the duplicate picked (null when none was, or the value is not an id); null if not ours. */
export function parseMergeChoice(view: unknown): { keptId: number; duplicateId: number | null } | null {
  const metadata = metadataOf(view);
  if (metadata === null) return null;
  const state = choiceSchema.parse(view).state;
  const value =
    state?.values[MERGE_CONTACT.duplicateBlock]?.[MERGE_CONTACT.duplicateSearchActionId]?.selected_option?.value;
  const duplicateId = value !== undefined && /^\d{1,15}$/.test(value) && Number(value) > 0 ? Number(value) : null;
  return { keptId: metadata.keptId, duplicateId };
}

/** The two contacts a confirmation stands for; null when its metadata is not ours. */
export function parseMergeConfirmation(view: unknown): { keptId: number; duplicateId: number } | null {
  const metadata = metadataOf(view);
  if (metadata?.duplicateId === undefined) return null;
  return { keptId: metadata.keptId, duplicateId: metadata.duplicateId };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lines saying what moves, each only when there is something to move. Pure. */
export function mergeLines(summary: MergeSummary): string[] {
  const { counts, plan, duplicate } = summary;
  const lines = [
    counts.meetings > 0 ? plural(counts.meetings, 'meeting') : null,
    counts.debriefs > 0 ? plural(counts.debriefs, 'debrief') : null,
    counts.adviceItems > 0 ? plural(counts.adviceItems, 'advice item') : null,
    counts.asks > 0 ? plural(counts.asks, 'ask') : null,
    counts.referrals > 0 ? `${plural(counts.referrals, 'person', 'people')} they introduced you to` : null,
    plan.newTags.length > 0 ? `tags: ${escapeToFit(plan.newTags.join(', '), 400)}` : null,
    duplicate.notes ? 'their notes, added after this contact’s own' : null,
    summary.touchMoves ? 'their last touch (the later one): keep in touch counts from it' : null,
    plan.cadenceFrom === 'duplicate'
      ? `their keep-in-touch cadence (every ${plan.profile.keepInTouchDays} days)`
      : null,
    plan.filled.length > 0 ? `what this contact is missing: ${plan.filled.join(', ')}` : null,
  ];
  return lines.filter((line): line is string => line !== null);
}

/** The confirmation: what moves from the duplicate to the kept contact; no Merge button when it cannot be done. */
export function buildMergeSummaryView(summary: MergeSummary): ModalView {
  const { kept, duplicate, plan } = summary;
  const lines = mergeLines(summary);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(`Merge ${name(duplicate)} into ${name(kept)}?\n${contactLine(duplicate, 'compact')}`),
    },
    {
      type: 'section',
      block_id: 'merge_moves',
      text: mrkdwn(
        lines.length > 0
          ? `These move to ${name(kept)}:\n• ${lines.join('\n• ')}`
          : `Nothing else is logged about ${name(duplicate)}.`,
      ),
    },
  ];
  if (plan.problems.length > 0) {
    blocks.push({
      type: 'section',
      block_id: 'merge_problems',
      text: mrkdwn(`:warning: ${escapeMrkdwn(plan.problems.join(' '))}`),
    });
  } else {
    const cadence = plan.profile.keepInTouchDays > 0 ? `every ${plan.profile.keepInTouchDays} days` : 'off';
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `${name(kept)} keeps its name and what is filled in; keep in touch: ${cadence}. Then ${name(duplicate)} is deleted. This cannot be undone.`,
        ),
      ],
    });
  }
  return {
    type: 'modal',
    callback_id: MERGE_CONTACT.confirmCallbackId,
    private_metadata: JSON.stringify({ keptId: kept.id, duplicateId: duplicate.id }),
    title: plain('Merge contacts?'),
    ...(plan.problems.length > 0 ? {} : { submit: plain('Merge') }),
    close: plain('Cancel'),
    blocks,
  };
}

/** After the merge: one person, with their buttons. */
export function buildMergedView(summary: MergeSummary): ModalView {
  return {
    type: 'modal',
    title: plain('Contacts merged'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`Merged ${name(summary.duplicate)} into:\n${contactLine(summary.kept)}`),
      },
      contactButtons(summary.kept, `contact_actions:${summary.kept.id}`),
    ],
  };
}

/** A merge that cannot be done (a contact gone, or something to shorten first): nothing was changed. */
export function buildMergeRefusedView(message: string): ModalView {
  return {
    type: 'modal',
    title: plain('Not merged'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(escapeMrkdwn(message)) }],
  };
}
