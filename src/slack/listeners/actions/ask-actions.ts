import type {
  AllMiddlewareArgs,
  BlockAction,
  BlockButtonAction,
  BlockOverflowAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerDeps } from '../../../deps.js';
import {
  ASK_NOT_FOUND,
  type AskOutcome,
  closeAsk,
  followUpDraftOf,
  nextToAsk,
  purposeProblem,
  startAsk,
} from '../../../domain/asks/asks-service.js';
import { formatDay } from '../../../domain/business-days.js';
import { directMessageLinkOf } from '../../../domain/contacts/colleagues.js';
import { CONTACT_NOT_FOUND } from '../../../domain/not-found.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { ASK_ACTIONS, askButton, askClosedText, OUTCOME_ACTIONS } from '../../ui/messages/asks-messages.js';
import { ASK_MODAL, buildAskModal, buildFollowUpModal, parseAskView } from '../../ui/modals/ask-modal.js';
import { buildNotFoundView } from '../../ui/modals/contact-views.js';
import { buildScheduleModal } from '../../ui/modals/schedule-modal.js';
import { mrkdwn } from '../../ui/text.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { showModal, updateModal } from '../modals.js';
import { interactionOwner, parseId } from '../owner.js';
import { tellPresser } from '../tell.js';

type Args<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

/** The ask modal for one of the presser's contacts (a not-found view for anyone else's). */
async function askView(
  deps: ListenerDeps,
  args: Args<BlockAction>,
  contactId: number | null,
  version = 0,
  purpose?: string | null,
): Promise<ModalView> {
  const owner = interactionOwner(args.body);
  try {
    if (contactId === null) throw new NotFoundError(CONTACT_NOT_FOUND);
    // The zone already known: this view opens with the press's trigger, and no Web API call may stand before it.
    const start = await startAsk(
      deps.db,
      owner,
      contactId,
      await storedTimeZoneOrUtc(deps.db, owner),
      deps.clock.now(),
      purpose,
    );
    return buildAskModal({ ...start, version, directMessageUrl: directMessageLinkOf(owner.teamId, start.contact) });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return buildNotFoundView(error.message);
  }
}

export function registerAskActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  // "Ask" on a contact (contacts list, History, Home, a day-3 nudge): the ask modal.
  app.action<BlockButtonAction>(ASK_ACTIONS.open, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    await showModal(args, await askView(deps, args, parseId(args.action.value)), { dm: deps });
    await latestTimeZone(
      deps.db,
      slackUserDirectory(args.client),
      interactionOwner(args.body),
      deps.clock.now(),
      deps.logger,
    );
  });

  // Enter in the purpose field: the draft is composed again with the new line (a new block id shows it).
  app.action<BlockAction>(ASK_MODAL.purposeActionId, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const view = args.body.view;
    const parsed = parseAskView(view);
    if (view === undefined || parsed === null) return;
    const purpose = purposeProblem(parsed.record.purpose) === null ? parsed.record.purpose : null;
    const next = await askView(deps, args, parsed.record.contactId, parsed.version + 1, purpose);
    try {
      await updateModal(args.client, view, next);
    } catch (error) {
      // The user changed the view meanwhile (hash_conflict): theirs stands.
      deps.logger.debug?.(`ask draft refresh skipped: ${String(error)}`);
    }
  });

  for (const [outcome, actionId] of Object.entries(OUTCOME_ACTIONS) as [AskOutcome, string][]) {
    app.action<BlockButtonAction>(actionId, async (args) => {
      const deps = requestDeps(appDeps, args.context);
      await args.ack();
      await answerAsk(deps, args, parseId(args.action.value), outcome);
    });
  }

  app.action<BlockButtonAction>(ASK_ACTIONS.followUp, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    await openFollowUp(deps, args, parseId(args.action.value));
  });

  // Home's menu on a waiting ask: "replied:12", "declined:12", "no_answer:12", "follow_up:12".
  app.action<BlockOverflowAction>(ASK_ACTIONS.homeMenu, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const match = /^(replied|declined|no_answer|follow_up):(\d{1,15})$/.exec(args.action.selected_option.value);
    if (match === null) return;
    const askId = Number(match[2]);
    if (match[1] === 'follow_up') return openFollowUp(deps, args, askId);
    return answerAsk(deps, args, askId, match[1] as AskOutcome);
  });
}

/** Records what came of an ask; "they replied" opens the schedule form with the contact. */
async function answerAsk(
  deps: ListenerDeps,
  args: Args<BlockAction>,
  askId: number | null,
  outcome: AskOutcome,
): Promise<void> {
  const owner = interactionOwner(args.body);
  const now = deps.clock.now();
  try {
    if (askId === null) throw new NotFoundError(ASK_NOT_FOUND);
    const { contact } = await closeAsk(deps.db, owner, askId, outcome, now);
    if (outcome === 'replied') await showModal(args, buildScheduleModal({ contact }), { dm: deps });
    const next = outcome === 'replied' ? undefined : await nextToAsk(deps.db, owner, contact.id);
    const text = askClosedText(outcome, contact);
    if (args.body.response_url) {
      await args.respond({
        response_type: 'ephemeral',
        replace_original: true,
        text,
        blocks: [
          { type: 'section', text: mrkdwn(text) },
          ...(next
            ? [
                {
                  type: 'section' as const,
                  text: mrkdwn('Ask the next person on your list while you are at it?'),
                  accessory: askButton(next, 'Ask next'),
                },
              ]
            : []),
        ],
      });
    } else if (outcome !== 'replied') {
      await sendDirectMessage(
        args.client,
        deps.db,
        owner,
        { text, blocks: [{ type: 'section', text: mrkdwn(text) }] },
        now,
      );
    }
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof UserInputError)
      return tellPresser(args, error.message, { dm: deps });
    throw error;
  }
}

async function openFollowUp(deps: ListenerDeps, args: Args<BlockAction>, askId: number | null): Promise<void> {
  const owner = interactionOwner(args.body);
  try {
    if (askId === null) throw new NotFoundError(ASK_NOT_FOUND);
    const { ask, contact, draft } = await followUpDraftOf(deps.db, owner, askId, formatDay);
    if (ask.status !== 'waiting') throw new UserInputError('That ask is already closed: no follow-up needed.');
    if (ask.followedUpAt !== null)
      throw new UserInputError('You already followed up on that ask once: one follow-up is enough.');
    await showModal(args, buildFollowUpModal({ askId: ask.id, contact, draft, sentOn: ask.sentOn }), { dm: deps });
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof UserInputError)
      return tellPresser(args, error.message, { dm: deps });
    throw error;
  }
}
