import { listUpcomingMeetings } from '../../../domain/meetings/meetings-service.js';
import { findCategory, QUESTION_BANK } from '../../../domain/meetings/question-bank.js';
import { ownQuestions } from '../../../domain/meetings/questions-service.js';
import { storedTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { FALLBACK_TIME_ZONE } from '../../../lib/zoned-time.js';
import { buildQuestionsModal } from '../../ui/modals/questions-modal.js';
import { truncate } from '../../ui/text.js';
import { openModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview questions [category]`: the question bank, or one category of it. */
export const openQuestions: Subcommand = async (args, deps, category) => {
  const { ack, command } = args;
  const found = findCategory(category);
  if (category !== '' && found === undefined) {
    await ack({
      response_type: 'ephemeral',
      text: `There is no category "${truncate(category.replace(/[`&<>]/g, ''), 40)}". Try one of: ${QUESTION_BANK.map((c) => c.id).join(', ')}.`,
    });
    return;
  }
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = (await storedTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
  const view = buildQuestionsModal({
    ...(found ? { categories: [found] } : {}),
    own: await ownQuestions(deps.db, owner),
    meetings: await listUpcomingMeetings(deps.db, owner, now, 100),
    zone,
  });
  await openModal(args, view);
};
