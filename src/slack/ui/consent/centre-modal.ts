import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import type { CentreSettings } from '../../../domain/centre/consent-rules.js';
import {
  checkAdvisorPicks,
  MAX_ADVISORS,
  MIN_COHORT_CEILING,
  MIN_COHORT_FLOOR,
  parseMinCohort,
} from '../../../domain/centre/consent-rules.js';
import { mrkdwn, plain } from '../text.js';
import { COUNTS_TEXT, isSlackUserId, mentions, NEVER_TEXT, STAGES_TEXT } from './consent-text.js';

export const CENTRE_MODAL = {
  callbackId: 'centre_form',
  actionId: 'value',
  onValue: 'on',
  blocks: { enabled: 'centre_enabled', advisors: 'centre_advisors', minCohort: 'centre_min_cohort' },
} as const;

const TITLE = plain('Career-centre view');
export const CENTRE_ADMINS_ONLY =
  'Only workspace admins and owners can turn the career-centre view on or name its advisors. Nothing was changed.';

const WHAT_ADVISORS_SEE = [
  'When it is on, each person in the workspace may choose to share their progress with one or more of the advisors named here, at one of two levels:',
  `• ${COUNTS_TEXT}`,
  `• ${STAGES_TEXT}`,
  NEVER_TEXT,
  'Being a Slack admin does not make anyone an advisor. People can stop sharing in one tap, and see each time an advisor looked.',
].join('\n');

const onOption = { text: plain('The career-centre view is on'), value: CENTRE_MODAL.onValue };

/** The admin's form: on or off, the advisors, and k. Pure. */
export function buildCentreModal(settings: CentreSettings): ModalView {
  return {
    type: 'modal',
    callback_id: CENTRE_MODAL.callbackId,
    title: TITLE,
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: mrkdwn(WHAT_ADVISORS_SEE) },
      {
        type: 'input',
        block_id: CENTRE_MODAL.blocks.enabled,
        optional: true,
        label: plain('On or off'),
        hint: plain("Off hides every figure from every advisor at once; people's choices are kept."),
        element: {
          type: 'checkboxes',
          action_id: CENTRE_MODAL.actionId,
          options: [onOption],
          ...(settings.enabled ? { initial_options: [onOption] } : {}),
        },
      },
      {
        type: 'input',
        block_id: CENTRE_MODAL.blocks.advisors,
        optional: true,
        label: plain('Advisors'),
        hint: plain(
          `Only these people can be chosen, and only they see what people share with them (at most ${MAX_ADVISORS}).`,
        ),
        element: {
          type: 'multi_users_select',
          action_id: CENTRE_MODAL.actionId,
          max_selected_items: MAX_ADVISORS,
          placeholder: plain('Pick the advisors'),
          ...(settings.advisorIds.length > 0 ? { initial_users: settings.advisorIds.filter(isSlackUserId) } : {}),
        },
      },
      {
        type: 'input',
        block_id: CENTRE_MODAL.blocks.minCohort,
        label: plain('Fewest people a cohort figure needs (k)'),
        hint: plain(
          `A cohort figure is shown only where at least this many people contribute: ${MIN_COHORT_FLOOR} to ${MIN_COHORT_CEILING}, 10 unless you change it.`,
        ),
        element: {
          type: 'number_input',
          action_id: CENTRE_MODAL.actionId,
          is_decimal_allowed: false,
          min_value: String(MIN_COHORT_FLOOR),
          max_value: String(MIN_COHORT_CEILING),
          initial_value: String(settings.minCohort),
        },
      },
    ],
  };
}

function noticeModal(blocks: KnownBlock[]): ModalView {
  return { type: 'modal', callback_id: CENTRE_MODAL.callbackId, title: TITLE, close: plain('Close'), blocks };
}

/** While Slack is asked whether the user is an admin or owner. */
export function buildCentreCheckingModal(): ModalView {
  return noticeModal([
    { type: 'section', text: mrkdwn('Checking with Slack that you are a workspace admin or owner…') },
  ]);
}

/** For someone Slack says is not an admin or owner (or could not say). */
export function buildCentreRefusedModal(unknown = false): ModalView {
  const text = unknown
    ? 'Slack could not say whether you are a workspace admin or owner, so nothing can be changed now. Try again in a moment.'
    : 'Only workspace admins and owners can turn the career-centre view on or name its advisors. Ask one of them.';
  return noticeModal([{ type: 'section', text: mrkdwn(text) }]);
}

/** What was saved, shown in place of the form. */
export function buildCentreSavedModal(input: { settings: CentreSettings; told: number }): ModalView {
  const { settings } = input;
  const advisors = settings.advisorIds.length === 0 ? 'none yet' : mentions(settings.advisorIds);
  const lines = [
    settings.enabled ? '*The career-centre view is on.*' : '*The career-centre view is off*: no advisor sees anything.',
    `Advisors: ${advisors}`,
    `A cohort figure needs at least *${settings.minCohort}* people.`,
    ...(input.told > 0
      ? [
          `${input.told} ${input.told === 1 ? 'person was' : 'people were'} sharing with an advisor no longer named: those shares ended, and each was told.`,
        ]
      : []),
  ];
  return noticeModal([{ type: 'section', text: mrkdwn(lines.join('\n')) }]);
}

const stateSchema = z
  .object({
    state: z.object({
      values: z.record(
        z.string(),
        z.record(
          z.string(),
          z
            .object({
              value: z.string().nullish(),
              selected_users: z.array(z.string()).nullish(),
              selected_options: z.array(z.object({ value: z.string() }).loose()).nullish(),
            })
            .loose(),
        ),
      ),
    }),
  })
  .loose();

export type CentreSubmission = { ok: true; settings: CentreSettings } | { ok: false; errors: Record<string, string> };

/** Reads the admin's form; anything off comes back as errors keyed by block_id. A malformed view is an error too. */
export function parseCentreSubmission(view: unknown): CentreSubmission {
  const parsed = stateSchema.safeParse(view);
  const B = CENTRE_MODAL.blocks;
  if (!parsed.success)
    return { ok: false, errors: { [B.minCohort]: 'The form could not be read. Nothing was changed.' } };
  const field = (blockId: string) => parsed.data.state.values[blockId]?.[CENTRE_MODAL.actionId];
  const errors: Record<string, string> = {};
  const enabled = (field(B.enabled)?.selected_options ?? []).some((o) => o.value === CENTRE_MODAL.onValue);
  const picked = field(B.advisors)?.selected_users ?? [];
  let advisorIds: string[] = [];
  if (!picked.every(isSlackUserId)) errors[B.advisors] = 'Pick the advisors from the list.';
  else {
    const checked = checkAdvisorPicks(picked);
    if ('problem' in checked) errors[B.advisors] = checked.problem;
    else advisorIds = checked.advisorIds;
  }
  const k = parseMinCohort(field(B.minCohort)?.value);
  if ('problem' in k) errors[B.minCohort] = k.problem;
  if (Object.keys(errors).length > 0 || 'problem' in k) return { ok: false, errors };
  return { ok: true, settings: { enabled, advisorIds, minCohort: k.value } };
}
