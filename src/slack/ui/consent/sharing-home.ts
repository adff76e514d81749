import type { KnownBlock } from '@slack/types';
import type { SharingState } from '../../../domain/centre/sharing-service.js';
import { mrkdwn, plain } from '../text.js';
import { isSlackUserId, LEVEL_LABELS } from './consent-text.js';
import { sharingButtons } from './share-modal.js';

/**
 * Home's career-centre section: whom the person shares with and the buttons to share, see who sees, or stop. Nothing
 * when the workspace's centre view is off and they share nothing (null); while it is off, what they chose and what
 * would resume if it came back on, with Stop sharing. At most four blocks. Pure.
 */
export function sharingHomeBlocks(sharing: SharingState | null): KnownBlock[] {
  if (sharing === null) return [];
  const shares = sharing.shares.filter((share) => isSlackUserId(share.advisorId));
  if (!sharing.centreOn)
    return [
      { type: 'header', text: plain('Career centre') },
      {
        type: 'section',
        text: mrkdwn(
          `The career-centre view is off in this workspace: no advisor sees your figures now. You chose to share with ${shares.map((s) => `<@${s.advisorId}> (${LEVEL_LABELS[s.level].toLowerCase()})`).join(', ')}; if the view is turned on again, they will see them again unless you stop sharing.`,
        ),
      },
      sharingButtons(true, false),
    ];
  const text =
    shares.length === 0
      ? 'You share your progress with no advisor. If you like, choose advisors of your career centre who may see your figures: never your notes, drafts or the people you meet.'
      : `You share your progress with ${shares.map((s) => `<@${s.advisorId}> (${LEVEL_LABELS[s.level].toLowerCase()})`).join(', ')}.`;
  return [
    { type: 'header', text: plain('Career centre') },
    { type: 'section', text: mrkdwn(text) },
    sharingButtons(shares.length > 0, sharing.advisors.length > 0 || shares.length > 0),
  ];
}

/** The settings modal's link to sharing (shown while the workspace's centre view is on). */
export function sharingSettingsBlocks(): KnownBlock[] {
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: mrkdwn(
        '*Career centre*: share your progress with an advisor, see who sees it and each time they looked, or stop.',
      ),
    },
    sharingButtons(false, true),
  ];
}
