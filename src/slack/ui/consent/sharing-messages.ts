import type { KnownBlock } from '@slack/types';
import type { ShareChange } from '../../../domain/centre/consent-rules.js';
import { formatDateTime } from '../../../lib/zoned-time.js';
import type { OutgoingMessage } from '../messages/meeting-messages.js';
import { slackDateTime } from '../slack-date.js';
import { mrkdwn } from '../text.js';
import { isSlackUserId, LEVEL_LABELS, mentions, NEVER_TEXT } from './consent-text.js';
import { sharingButtons } from './share-modal.js';

// The receipts a person gets in their DM each time who sees their progress changes: the time in the blocks as Slack
// shows dates to each reader, and in the notification text as plain words (a date token there shows as typed).

function whoSeesWhat(change: ShareChange): string {
  const byLevel = (level: 'counts' | 'stages') =>
    change.now.filter((share) => share.level === level && isSlackUserId(share.advisorId)).map((s) => s.advisorId);
  const parts = (['counts', 'stages'] as const)
    .filter((level) => byLevel(level).length > 0)
    .map(
      (level) =>
        `${mentions(byLevel(level))} ${byLevel(level).length === 1 ? 'sees' : 'see'} your *${LEVEL_LABELS[level].toLowerCase()}*`,
    );
  return parts.join('; ');
}

/** After the person started or changed sharing: who sees what now, and whom they stopped sharing with. */
export function buildShareReceipt(input: { change: ShareChange; at: Date; zone: string }): OutgoingMessage {
  const { change } = input;
  const seeing = whoSeesWhat(change);
  const stopped = change.stopped.length > 0 ? ` You stopped sharing with ${mentions(change.stopped)}.` : '';
  const line = (when: string) => `You changed who sees your progress at ${when}: ${seeing}.${stopped}`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(line(slackDateTime(input.at, input.zone))) },
    { type: 'context', elements: [mrkdwn(NEVER_TEXT)] },
    sharingButtons(true, false),
  ];
  return { text: line(formatDateTime(input.at, input.zone)).replace(/\*/g, ''), blocks };
}

/** After Stop sharing. */
export function buildStopReceipt(input: { advisors: string[]; at: Date; zone: string }): OutgoingMessage {
  const line = (when: string) =>
    `You stopped sharing with ${mentions(input.advisors)} at ${when}. They no longer see your figures.`;
  return {
    text: line(formatDateTime(input.at, input.zone)),
    blocks: [{ type: 'section', text: mrkdwn(line(slackDateTime(input.at, input.zone))) }],
  };
}

/** After the workspace stopped naming advisors the person shared with: their shares with them ended. */
export function buildAdvisorRemovedNotice(input: { advisors: string[]; at: Date; zone: string }): OutgoingMessage {
  const several = input.advisors.length > 1;
  const line = (when: string) =>
    `${mentions(input.advisors)} ${several ? 'are' : 'is'} no longer ${several ? 'advisors' : 'an advisor'} of this workspace's career centre, so your progress stopped being shared with them at ${when}. They no longer see your figures.`;
  return {
    text: line(formatDateTime(input.at, input.zone)),
    blocks: [
      { type: 'section', text: mrkdwn(line(slackDateTime(input.at, input.zone))) },
      sharingButtons(false, false),
    ],
  };
}
