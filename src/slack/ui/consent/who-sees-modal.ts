import type { KnownBlock, ModalView } from '@slack/types';
import type { AdvisorView } from '../../../domain/centre/consent-rules.js';
import type { WhoSees } from '../../../domain/centre/sharing-service.js';
import { slackDateTime } from '../slack-date.js';
import { mrkdwn, plain } from '../text.js';
import { isSlackUserId, NEVER_TEXT } from './consent-text.js';
import { shareLines, sharingButtons } from './share-modal.js';

export const WHO_SEES_MODAL = { callbackId: 'progress_who_sees' } as const;

const WHERE: Record<AdvisorView['surface'], string> = {
  home: 'on their Home',
  csv: 'in a CSV download',
  chart: 'in a chart',
};

/** Lines in sections of at most `per` lines: a section holds 3000 characters, and a line with a date token ~120. */
function sections(lines: string[], per = 15): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < lines.length; start += per)
    blocks.push({ type: 'section', text: mrkdwn(lines.slice(start, start + per).join('\n')) });
  return blocks;
}

/** "Who sees my progress": each advisor and level since when, and the latest looks. Pure. */
export function buildWhoSeesModal(input: WhoSees & { zone: string }): ModalView {
  const sharing = input.shares.length > 0;
  const blocks: KnownBlock[] = [];
  if (!input.centreOn)
    blocks.push({
      type: 'section',
      text: mrkdwn(
        sharing
          ? 'The career-centre view is off in this workspace: no advisor sees anything of yours now. Your choices below are kept and would apply again if it is turned back on; stop sharing to drop them.'
          : 'The career-centre view is off in this workspace: no advisor sees anything of yours.',
      ),
    });
  blocks.push({ type: 'header', text: plain('Who can see what') });
  if (sharing) blocks.push(...sections(shareLines(input.shares, input.zone)));
  else blocks.push({ type: 'section', text: mrkdwn('Nobody: you do not share your progress with any advisor.') });
  blocks.push({ type: 'context', elements: [mrkdwn(NEVER_TEXT)] });
  blocks.push({ type: 'header', text: plain('Latest looks') });
  const looks = input.views
    .filter((view) => isSlackUserId(view.advisorId))
    .map(
      (view) =>
        `• <@${view.advisorId}> looked at your figures ${WHERE[view.surface]}, ${slackDateTime(new Date(view.viewedAt), input.zone)}`,
    );
  if (looks.length === 0) blocks.push({ type: 'section', text: mrkdwn('No advisor has looked at your figures yet.') });
  else blocks.push(...sections(looks));
  blocks.push(sharingButtons(sharing, input.centreOn));
  return {
    type: 'modal',
    callback_id: WHO_SEES_MODAL.callbackId,
    title: plain('Who sees my progress'),
    close: plain('Close'),
    blocks,
  };
}
