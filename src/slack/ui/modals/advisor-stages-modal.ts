import type { KnownBlock, ModalView } from '@slack/types';
import { formatDay } from '../../../domain/business-days.js';
import type { AskStage, ConversationStage, ProgressStage } from '../../../domain/centre/progress-facts.js';
import { mrkdwn, plain } from '../text.js';

// The stages of one person's asks and conversations, for an advisor the person shares "counts and stages" with: a
// stage and a day each, never whom they asked or met. Pure.

export const ADVISOR_STAGES_MODAL = { callbackId: 'advisor_stages' } as const;

/** Stages shown, newest first; older ones are counted. */
export const STAGES_SHOWN = 60;
const LINES_PER_BLOCK = 20;

const ASK_STAGES: Record<AskStage, string> = {
  waiting: 'waiting for a reply',
  followed_up: 'followed up',
  replied: 'replied',
  declined: 'declined',
  no_answer: 'no answer',
};
const CONVERSATION_STAGES: Record<ConversationStage, string> = {
  planned: 'planned',
  held: 'held',
  debriefed: 'debriefed',
  thanked: 'thanked',
  reported_back: 'reported back',
  cancelled: 'cancelled',
};

function line(stage: ProgressStage): string {
  const what =
    stage.kind === 'ask' ? `Ask · ${ASK_STAGES[stage.stage]}` : `Conversation · ${CONVERSATION_STAGES[stage.stage]}`;
  return `• ${formatDay(stage.day)}: ${what}`;
}

/** The modal for `sharerId`'s stages, or (stages null) a note that nothing is shared: it says nothing more. */
export function buildAdvisorStagesModal(sharerId: string | null, stages: readonly ProgressStage[] | null): ModalView {
  const blocks: KnownBlock[] = [];
  if (stages === null || sharerId === null) {
    blocks.push({
      type: 'section',
      text: mrkdwn('Nothing to show: these stages are not shared with you (any more).'),
    });
  } else {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `<@${sharerId}>'s asks and conversations, newest first: a stage and a day each, never whom they asked or met.`,
      ),
    });
    if (stages.length === 0) blocks.push({ type: 'section', text: mrkdwn('No asks or conversations yet.') });
    const shown = stages.slice(0, STAGES_SHOWN).map(line);
    for (let i = 0; i < shown.length; i += LINES_PER_BLOCK)
      blocks.push({ type: 'section', text: mrkdwn(shown.slice(i, i + LINES_PER_BLOCK).join('\n')) });
    if (stages.length > STAGES_SHOWN)
      blocks.push({ type: 'context', elements: [mrkdwn(`and ${stages.length - STAGES_SHOWN} earlier`)] });
  }
  return {
    type: 'modal',
    callback_id: ADVISOR_STAGES_MODAL.callbackId,
    title: plain('Progress stages'),
    close: plain('Close'),
    blocks,
  };
}
