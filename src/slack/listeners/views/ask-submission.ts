import type { ListenerDeps } from '../../../deps.js';
import {
  askNudgeDays,
  askRecordProblems,
  parseHolidayLines,
  recordAsk,
  recordFollowUp,
  saveWorkspaceHolidays,
  startAsk,
} from '../../../domain/asks/asks-service.js';
import { localDay } from '../../../domain/business-days.js';
import { directMessageLinkOf } from '../../../domain/contacts/colleagues.js';
import { runPendingReplans } from '../../../domain/reminders/reconciler.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { knownAdmin } from '../../admins.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildAskRecordedMessage } from '../../ui/messages/asks-messages.js';
import { ASK_MODAL, buildAskModal, parseAskPick, parseAskView, parseFollowUpView } from '../../ui/modals/ask-modal.js';
import { HOLIDAYS_MODAL, parseHolidaysSubmission } from '../../ui/modals/holidays-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/** The zone where the day starts first: a day after its date there is in the future for everyone. */
const EARLIEST_ZONE = 'Pacific/Kiritimati';

export function registerAskSubmissions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  // The picker: the chosen contact's ask modal replaces it.
  app.view(ASK_MODAL.pickCallbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const contactId = parseAskPick(body.view);
    if (contactId === null)
      return void (await ack({
        response_action: 'errors',
        errors: { [ASK_MODAL.blocks.contact]: 'Pick someone from your contacts.' },
      }));
    try {
      const start = await startAsk(
        deps.db,
        owner,
        contactId,
        await storedTimeZoneOrUtc(deps.db, owner),
        deps.clock.now(),
      );
      await ack({
        response_action: 'update',
        view: buildAskModal({
          ...start,
          version: 0,
          directMessageUrl: directMessageLinkOf(owner.teamId, start.contact),
        }),
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await ack({ response_action: 'errors', errors: { [ASK_MODAL.blocks.contact]: error.message } });
    }
  });

  // "Mark as sent": validated and recorded before the ack (errors inline, nothing typed lost); the DM comes after.
  app.view(ASK_MODAL.callbackId, async ({ ack, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const parsed = parseAskView(body.view);
    if (parsed === null) return void (await ack());
    const now = deps.clock.now();
    const problems = askRecordProblems(parsed.record, localDay(now, EARLIEST_ZONE));
    const errors: Record<string, string> = {};
    if (problems.sentOn) errors[ASK_MODAL.blocks.sentOn] = problems.sentOn;
    if (problems.purpose) errors[ASK_MODAL.blocks.purpose] = problems.purpose;
    if (problems.draft) errors[parsed.draftBlockId] = problems.draft;
    if (Object.keys(errors).length > 0) return void (await ack({ response_action: 'errors', errors }));
    let recorded: Awaited<ReturnType<typeof recordAsk>>;
    try {
      recorded = await recordAsk(deps.db, owner, parsed.record, now);
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof UserInputError)) throw error;
      return void (await ack({
        response_action: 'errors',
        errors: { [ASK_MODAL.blocks.sentOn]: error.message.slice(0, 150) },
      }));
    }
    await ack();
    if (!recorded.created) return;
    const days = await askNudgeDays(deps.db, owner.teamId, recorded.ask.sentOn);
    const zone = await storedTimeZoneOrUtc(deps.db, owner);
    const message = buildAskRecordedMessage(recorded.ask, recorded.contact, days, zone);
    await sendDirectMessage(client, deps.db, owner, message, now);
    await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  });

  // "I followed up": the one follow-up; a second (or a closed ask) is refused inline.
  app.view(ASK_MODAL.followUpCallbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const askId = parseFollowUpView(body.view);
    if (askId === null) return void (await ack());
    try {
      await recordFollowUp(deps.db, owner, askId, deps.clock.now());
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof UserInputError)) throw error;
      return void (await ack({
        response_action: 'errors',
        errors: { [ASK_MODAL.blocks.draft]: error.message.slice(0, 150) },
      }));
    }
    await ack();
  });
}

/** Saves the workspace's holidays: only for someone Slack said is an admin or owner (checked when the modal opened). */
export function registerHolidaysSubmission(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(HOLIDAYS_MODAL.callbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const text = parseHolidaysSubmission(body.view);
    if (text === null) return void (await ack());
    if ((await knownAdmin(deps.db, owner)) !== true) {
      return void (await ack({
        response_action: 'errors',
        errors: {
          [HOLIDAYS_MODAL.blockId]: 'Only workspace admins and owners can change the holidays. Nothing was changed.',
        },
      }));
    }
    const parsed = parseHolidayLines(text);
    if ('problem' in parsed)
      return void (await ack({ response_action: 'errors', errors: { [HOLIDAYS_MODAL.blockId]: parsed.problem } }));
    const now = deps.clock.now();
    // Days before today stay as they were: asks already counted with them.
    const today = localDay(now, 'UTC');
    await saveWorkspaceHolidays(deps.db, owner.teamId, today, parsed.days, now);
    await ack();
    await runPendingReplans(deps.db, now, deps.logger);
  });
}
