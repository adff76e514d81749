import type {
  AllMiddlewareArgs,
  BlockAction,
  BlockButtonAction,
  CheckboxesAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { logTouch, snoozeKeepInTouch } from '../../../domain/contacts/keep-in-touch-service.js';
import {
  adviceItemsOf,
  findDebriefOf,
  markReportedBack,
  reportBackDraftFor,
  thankYouDraftFor,
  updateAdviceItems,
} from '../../../domain/debriefs/debriefs-service.js';
import { getMeeting } from '../../../domain/meetings/meetings-service.js';
import { CONTACT_NOT_FOUND, MEETING_NOT_FOUND } from '../../../domain/not-found.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError } from '../../../lib/errors.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildReportBackDraftMessage,
  buildThankYouDraftMessage,
  DRAFT_ACTIONS,
} from '../../ui/messages/debrief-messages.js';
import { REMINDER_ACTIONS, snoozedNote } from '../../ui/messages/reminders-messages.js';
import { buildDebriefModal } from '../../ui/modals/debrief-modal.js';
import { buildDraftModal } from '../../ui/modals/draft-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal } from '../modals.js';
import { interactionOwner, parseId } from '../owner.js';
import { tellPresser } from '../tell.js';

type Args<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;
type ButtonArgs = Args<BlockButtonAction>;

/**
 * Runs `handle` for the id on the button, answering "not yours" (and changing nothing) for an id that is not the
 * presser's; every handler re-checks ownership through its domain call.
 */
function onButton(
  app: ListenerRegistry,
  appDeps: ListenerDeps,
  actionId: string,
  notFound: string,
  handle: (args: ButtonArgs, id: number) => Promise<void>,
): void {
  app.action<BlockButtonAction>(actionId, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const id = parseId(args.action.value);
    try {
      if (id === null) throw new NotFoundError(notFound);
      await handle(args, id);
      // After the form or the answer: a users.info here can no longer make anything late.
      await latestTimeZone(
        deps.db,
        slackUserDirectory(args.client),
        interactionOwner(args.body),
        deps.clock.now(),
        deps.logger,
      );
    } catch (error) {
      if (error instanceof NotFoundError) return tellPresser(args, error.message);
      throw error;
    }
  });
}

export function registerFollowUpActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  const context = async (args: { body: BlockAction; client: ButtonArgs['client'] }) => {
    const owner = interactionOwner(args.body);
    const now = appDeps.clock.now();
    // The zone already known: these buttons open forms, and no Web API call may stand before views.open.
    return { owner, now, zone: await storedTimeZoneOrUtc(appDeps.db, owner) };
  };

  // The debrief nudge's button: the debrief form for that meeting, filled with what was saved before, if anything.
  onButton(app, appDeps, REMINDER_ACTIONS.openDebrief, MEETING_NOT_FOUND, async (args, meetingId) => {
    const { owner, zone } = await context(args);
    const found = await getMeeting(appDeps.db, owner, meetingId);
    const existing = await findDebriefOf(appDeps.db, owner, meetingId);
    // On Home there is no response_url: an expired trigger is told in the DM.
    await openModal(args, buildDebriefModal({ mode: 'meeting', found, zone, existing }), { dm: appDeps });
  });

  onButton(app, appDeps, REMINDER_ACTIONS.showThankYou, MEETING_NOT_FOUND, async (args, meetingId) => {
    const { owner, now } = await context(args);
    const { contact } = await getMeeting(appDeps.db, owner, meetingId);
    await sendDirectMessage(
      args.client,
      appDeps.db,
      owner,
      buildThankYouDraftMessage(meetingId, contact.name, await thankYouDraftFor(appDeps.db, owner, meetingId)),
      now,
    );
  });

  onButton(app, appDeps, DRAFT_ACTIONS.editThankYou, MEETING_NOT_FOUND, async (args, meetingId) => {
    const owner = interactionOwner(args.body);
    const draft = await thankYouDraftFor(appDeps.db, owner, meetingId);
    await openModal(args, buildDraftModal(meetingId, 'thank_you', draft), { dm: appDeps });
  });

  onButton(app, appDeps, DRAFT_ACTIONS.editReportBack, MEETING_NOT_FOUND, async (args, meetingId) => {
    const owner = interactionOwner(args.body);
    const draft = await reportBackDraftFor(appDeps.db, owner, meetingId);
    await openModal(args, buildDraftModal(meetingId, 'report_back', draft), { dm: appDeps });
  });

  onButton(app, appDeps, REMINDER_ACTIONS.draftReportBack, MEETING_NOT_FOUND, async (args, meetingId) => {
    const { owner, now } = await context(args);
    const { contact } = await getMeeting(appDeps.db, owner, meetingId);
    await sendDirectMessage(
      args.client,
      appDeps.db,
      owner,
      buildReportBackDraftMessage(meetingId, contact.name, await reportBackDraftFor(appDeps.db, owner, meetingId)),
      now,
    );
  });

  onButton(app, appDeps, REMINDER_ACTIONS.reportedBack, MEETING_NOT_FOUND, async (args, meetingId) => {
    const { owner, now } = await context(args);
    await markReportedBack(appDeps.db, owner, meetingId, now);
    await tellPresser(args, ':white_check_mark: Marked as reported back. Well done for closing the loop.', {
      replace: true,
    });
  });

  onButton(app, appDeps, REMINDER_ACTIONS.keepInTouchTouch, CONTACT_NOT_FOUND, async (args, contactId) => {
    const { owner, now } = await context(args);
    await logTouch(appDeps.db, owner, contactId, now);
    await tellPresser(args, ':white_check_mark: Touch logged. I will remind you again when it is time.', {
      replace: true,
    });
  });

  onButton(app, appDeps, REMINDER_ACTIONS.keepInTouchSnooze, CONTACT_NOT_FOUND, async (args, contactId) => {
    const { owner, now, zone } = await context(args);
    const due = await snoozeKeepInTouch(appDeps.db, owner, contactId, now);
    const note = snoozedNote((when) => `Snoozed: I will remind you again ${when}.`, due, zone);
    await tellPresser(args, note, { replace: true });
  });

  // Ticking advice items: the block id says which meeting and which group of ten the checkboxes show.
  app.action<BlockAction<CheckboxesAction>>(REMINDER_ACTIONS.toggleAdvice, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const match = /^advice:(\d{1,15}):(\d{1,2})$/.exec(args.action.block_id);
    if (match === null) return;
    const [meetingId, group] = [Number(match[1]), Number(match[2])];
    const { owner, now } = await context(args);
    try {
      const items = await adviceItemsOf(deps.db, owner, meetingId);
      const shown = new Set(items.slice(group * 10, group * 10 + 10).map((item) => item.id));
      const ticked = new Set(
        args.action.selected_options.map((option) => Number(option.value)).filter((id) => shown.has(id)),
      );
      const done = items
        .filter((item) => (shown.has(item.id) ? ticked.has(item.id) : item.doneAt !== null))
        .map((item) => item.id);
      await updateAdviceItems(deps.db, owner, meetingId, done, now);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await tellPresser(args, error.message);
    }
  });
}
