import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { cancelMeeting, getMeeting } from '../../../domain/meetings/meetings-service.js';
import { latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError } from '../../../lib/errors.js';
import { sendCalendarFile } from '../../calendar-file-sender.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildMeetingCancelled, MEETING_ACTIONS } from '../../ui/messages/meeting-messages.js';
import { buildRescheduleModal } from '../../ui/modals/schedule-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal } from '../modals.js';
import { interactionOwner, parseId } from '../owner.js';
import { tellPresser } from '../tell.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const NOT_YOURS = 'That meeting is not one of yours, or it no longer exists. Nothing was changed.';

export function registerMeetingActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.action<BlockButtonAction>(MEETING_ACTIONS.reschedule, (args) =>
    reschedule(args, requestDeps(appDeps, args.context)),
  );
  app.action<BlockButtonAction>(MEETING_ACTIONS.cancel, (args) => cancel(args, requestDeps(appDeps, args.context)));
}

/** Opens the schedule modal pre-filled with the meeting; it remembers the message to update once saved. */
async function reschedule(args: ButtonArgs, deps: ListenerDeps): Promise<void> {
  const { ack, body, action } = args;
  await ack();
  const owner = interactionOwner(body);
  const meetingId = parseId(action.value);
  let found: Awaited<ReturnType<typeof getMeeting>>;
  try {
    if (meetingId === null) throw new NotFoundError(NOT_YOURS);
    found = await getMeeting(deps.db, owner, meetingId);
  } catch (error) {
    if (error instanceof NotFoundError) return tellPresser(args, NOT_YOURS, { dm: deps });
    throw error;
  }
  if (found.meeting.status === 'cancelled')
    return tellPresser(args, 'That meeting was cancelled. Schedule a new one with `/infoview schedule`.', { dm: deps });
  const origin =
    body.container?.type === 'message' && body.channel?.id && body.message?.ts && !body.container.is_ephemeral
      ? { channel: body.channel.id, ts: body.message.ts }
      : undefined;
  await openModal(args, buildRescheduleModal(found, origin), { dm: deps });
}

/** Cancels after Slack's confirm dialog; the message it was pressed on becomes a plain "Cancelled" line. */
async function cancel(args: ButtonArgs, deps: ListenerDeps): Promise<void> {
  const { ack, body, action, client, respond } = args;
  await ack();
  const owner = interactionOwner(body);
  const meetingId = parseId(action.value);
  const now = deps.clock.now();
  let cancelled: Awaited<ReturnType<typeof cancelMeeting>>;
  try {
    if (meetingId === null) throw new NotFoundError(NOT_YOURS);
    cancelled = await cancelMeeting(deps.db, owner, meetingId, now);
  } catch (error) {
    if (error instanceof NotFoundError) return tellPresser(args, NOT_YOURS, { dm: deps });
    throw error;
  }
  const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  if (body.response_url) await respond({ replace_original: true, ...buildMeetingCancelled(cancelled, zone) });
  if (!cancelled.alreadyCancelled) await sendCalendarFile(client, deps, owner, cancelled, 'CANCEL');
}
