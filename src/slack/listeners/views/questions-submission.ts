import type { ListenerDeps } from '../../../deps.js';
import { allQuestions } from '../../../domain/meetings/question-bank.js';
import { addQuestionsToMeeting, ownQuestions, saveOwnQuestion } from '../../../domain/meetings/questions-service.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { parseQuestionsSubmission, QUESTIONS_MODAL } from '../../ui/modals/questions-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/** Adds the picked questions to the chosen meeting and saves the user's own question; problems come back inline. */
export function registerQuestionsSubmission(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(QUESTIONS_MODAL.callbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const parsed = parseQuestionsSubmission(body.view);
    if (parsed === null) {
      await ack({
        response_action: 'errors',
        errors: { [QUESTIONS_MODAL.blocks.own]: 'This form could not be read. Please close it and try again.' },
      });
      return;
    }
    const now = deps.clock.now();
    const bank = new Map(allQuestions().map((q) => [q.id, q.text]));
    const own = new Map((await ownQuestions(deps.db, owner)).map((q) => [q.id, q.text]));
    const picked = [...parsed.ownIds.map((id) => own.get(id)), ...parsed.bankIds.map((id) => bank.get(id))].filter(
      (t): t is string => t !== undefined,
    );
    if (picked.length > 0 && parsed.meetingId === null) {
      await ack({
        response_action: 'errors',
        errors: { [QUESTIONS_MODAL.blocks.meeting]: 'Pick the meeting to add them to.' },
      });
      return;
    }
    try {
      if (parsed.meetingId !== null && picked.length > 0)
        await addQuestionsToMeeting(deps.db, owner, parsed.meetingId, picked, now);
      if (parsed.ownQuestion !== '') await saveOwnQuestion(deps.db, owner, parsed.ownQuestion, now);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof UserInputError) {
        const block =
          error instanceof NotFoundError || picked.length > 0
            ? QUESTIONS_MODAL.blocks.meeting
            : QUESTIONS_MODAL.blocks.own;
        await ack({ response_action: 'errors', errors: { [block]: error.message } });
        return;
      }
      throw error;
    }
    await ack();
  });
}
