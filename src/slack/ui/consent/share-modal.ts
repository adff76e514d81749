import type { ActionsBlock, Button, KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { ProgressShare, ShareChoice, ShareLevel, ShareProblem } from '../../../domain/centre/consent-rules.js';
import { SHARE_LEVELS } from '../../../domain/centre/consent-rules.js';
import { slackDateTime } from '../slack-date.js';
import { mrkdwn, plain } from '../text.js';
import { COUNTS_TEXT, isSlackUserId, LEVEL_LABELS, mentions, NEVER_TEXT, STAGES_TEXT } from './consent-text.js';

/** The buttons that open the consent views or stop sharing: on Home, in settings, in these modals and in receipts. */
export const SHARING_ACTIONS = {
  open: 'sharing_open',
  whoSees: 'sharing_who_sees',
  stop: 'sharing_stop',
} as const;

export const SHARE_MODAL = {
  callbackId: 'progress_share',
  actionId: 'value',
  /** The advisors come in groups of ten ticks (Slack's checkbox limit): `share_advisors_0`, `share_advisors_1`… */
  advisorsPrefix: 'share_advisors_',
  blocks: { firstAdvisors: 'share_advisors_0', level: 'share_level' },
} as const;

const TITLE = plain('Share my progress');
const PER_GROUP = 10;

export function sharingButton(
  action: keyof typeof SHARING_ACTIONS,
  text: string,
  style?: 'danger' | 'primary',
): Button {
  return {
    type: 'button',
    action_id: SHARING_ACTIONS[action],
    text: plain(text),
    value: action,
    ...(style ? { style } : {}),
  };
}

/** Who sees my progress, and Stop sharing when there is something to stop. */
export function sharingButtons(sharing: boolean, withShare: boolean): ActionsBlock {
  return {
    type: 'actions',
    elements: [
      ...(withShare
        ? [sharingButton('open', sharing ? 'Change sharing' : 'Share my progress with an advisor', 'primary')]
        : []),
      sharingButton('whoSees', 'Who sees my progress'),
      ...(sharing ? [sharingButton('stop', 'Stop sharing', 'danger')] : []),
    ],
  };
}

/** "<@A> sees counts since …" one line per share, for mrkdwn. */
export function shareLines(shares: readonly ProgressShare[], zone: string): string[] {
  return shares
    .filter((share) => isSlackUserId(share.advisorId))
    .map(
      (share) =>
        `• <@${share.advisorId}> sees *${LEVEL_LABELS[share.level].toLowerCase()}*, since ${slackDateTime(new Date(share.since), zone)}`,
    );
}

const levelOption = (level: ShareLevel): PlainTextOption => ({ text: plain(LEVEL_LABELS[level]), value: level });
const advisorOption = (advisorId: string): Option => ({ text: mrkdwn(`<@${advisorId}>`), value: advisorId });

/** The person's share form: the centre's advisors (never themselves), a level, and what each level shows. Pure. */
export function buildShareModal(input: { advisors: string[]; shares: ProgressShare[]; zone: string }): ModalView {
  const advisors = input.advisors.filter(isSlackUserId);
  const chosen = new Set(input.shares.map((share) => share.advisorId));
  const sharing = input.shares.length > 0;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `Choose the career-centre advisors who may see your progress, and what they see:\n• ${COUNTS_TEXT}\n• ${STAGES_TEXT}\n${NEVER_TEXT}`,
      ),
    },
  ];
  if (sharing)
    blocks.push({ type: 'section', text: mrkdwn(['*Now*', ...shareLines(input.shares, input.zone)].join('\n')) });
  if (advisors.length === 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn('This workspace has not named any other advisor yet, so there is no one to share with.'),
    });
    blocks.push(sharingButtons(sharing, false));
    return { type: 'modal', callback_id: SHARE_MODAL.callbackId, title: TITLE, close: plain('Close'), blocks };
  }
  for (let group = 0; group * PER_GROUP < advisors.length; group++) {
    const ids = advisors.slice(group * PER_GROUP, (group + 1) * PER_GROUP);
    const initial = ids.filter((id) => chosen.has(id)).map(advisorOption);
    blocks.push({
      type: 'input',
      block_id: `${SHARE_MODAL.advisorsPrefix}${group}`,
      optional: true,
      label: plain(group === 0 ? 'Share with' : 'More advisors'),
      element: {
        type: 'checkboxes',
        action_id: SHARE_MODAL.actionId,
        options: ids.map(advisorOption),
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
    });
  }
  const current = input.shares[0]?.level ?? 'counts';
  blocks.push({
    type: 'input',
    block_id: SHARE_MODAL.blocks.level,
    label: plain('What they see'),
    hint: plain('Counts, or counts and the stage and date of each ask and conversation (never a name).'),
    element: {
      type: 'static_select',
      action_id: SHARE_MODAL.actionId,
      options: SHARE_LEVELS.map(levelOption),
      initial_option: levelOption(current),
    },
  });
  blocks.push(sharingButtons(sharing, false));
  return {
    type: 'modal',
    callback_id: SHARE_MODAL.callbackId,
    title: TITLE,
    submit: plain(sharing ? 'Save' : 'Share'),
    close: plain('Cancel'),
    blocks,
  };
}

/** For a workspace whose centre view is off: nothing to choose; what was chosen before can still be stopped. */
export function buildSharingOffModal(sharing: boolean): ModalView {
  const text = [
    'The career-centre view is not on in this workspace, so there is no advisor to share with and no advisor sees anything of yours.',
    'A workspace admin or owner turns it on with `/infoview centre`.',
    ...(sharing
      ? ['Your earlier choices are kept and would apply again if it is turned back on: stop sharing to drop them.']
      : []),
  ].join('\n');
  return {
    type: 'modal',
    callback_id: SHARE_MODAL.callbackId,
    title: TITLE,
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(text) }, sharingButtons(sharing, false)],
  };
}

/** Shown in place of a consent modal once the person stopped sharing. */
export function buildStoppedModal(input: { advisors: string[]; at: Date; zone: string }): ModalView {
  const text =
    input.advisors.length === 0
      ? 'You were not sharing your progress with anyone: nothing changed.'
      : `You stopped sharing with ${mentions(input.advisors)} at ${slackDateTime(input.at, input.zone)}. They no longer see your figures. A receipt is in your DM with infoview.`;
  return {
    type: 'modal',
    callback_id: SHARE_MODAL.callbackId,
    title: TITLE,
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
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
              selected_option: z.object({ value: z.string() }).loose().nullish(),
              selected_options: z.array(z.object({ value: z.string() }).loose()).nullish(),
            })
            .loose(),
        ),
      ),
    }),
  })
  .loose();

/** The advisors ticked in every group and the level picked, as submitted; null for a view that cannot be read. */
export function parseShareSubmission(view: unknown): ShareChoice | null {
  const parsed = stateSchema.safeParse(view);
  if (!parsed.success) return null;
  const values = parsed.data.state.values;
  const advisorIds = Object.entries(values)
    .filter(([blockId]) => blockId.startsWith(SHARE_MODAL.advisorsPrefix))
    .flatMap(([, fields]) => (fields[SHARE_MODAL.actionId]?.selected_options ?? []).map((o) => o.value));
  const level = values[SHARE_MODAL.blocks.level]?.[SHARE_MODAL.actionId]?.selected_option?.value ?? null;
  return { advisorIds: [...new Set(advisorIds)], level };
}

const PROBLEM_TEXT: Record<ShareProblem, string> = {
  centre_off: 'The career-centre view is not on in this workspace. Nothing was shared.',
  no_advisor: 'Pick at least one advisor. To stop sharing with everyone, press Stop sharing.',
  not_an_advisor:
    "Only this workspace's advisors can be chosen, and one of those picked is not one. Nothing was shared.",
  self: 'You cannot share your progress with yourself. Nothing was shared.',
  no_level: 'Pick what they see.',
};

/** The inline error for a choice the server refused, keyed by the block it is about. */
export function shareProblemErrors(problem: ShareProblem): Record<string, string> {
  const block = problem === 'no_level' ? SHARE_MODAL.blocks.level : SHARE_MODAL.blocks.firstAdvisors;
  return { [block]: PROBLEM_TEXT[problem] };
}
