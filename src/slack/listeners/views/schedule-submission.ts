import type { ListenerDeps } from '../../../deps.js';
import { rescheduleMeeting, scheduleMeeting } from '../../../domain/meetings/meetings-service.js';
import { validateScheduleDraft } from '../../../domain/meetings/schedule-rules.js';
import { settleMeetingTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { pausePoint } from '../../../lib/pause-points.js';
import { sendCalendarFile } from '../../calendar-file-sender.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildMeetingConfirmation, buildMeetingMoved } from '../../ui/messages/meeting-messages.js';
import { parseScheduleSubmission, SCHEDULE_MODAL, scheduleErrorsByBlock } from '../../ui/modals/schedule-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/**
 * Validates, stores, and only then closes the modal, so nothing typed is lost: a problem comes back inline on its
 * field (`response_action: errors`, keyed by block_id) with the modal still open. The confirmation DM follows.
 */
export function registerScheduleSubmission(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(SCHEDULE_MODAL.callbackId, async ({ ack, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const submission = parseScheduleSubmission(body.view);
    if (!submission.ok) {
      deps.logger.warn(`schedule submission from ${owner.userId} unreadable: ${submission.reason}`);
      await ack({
        response_action: 'errors',
        errors: { [SCHEDULE_MODAL.blocks.name]: 'This form could not be read. Please close it and try again.' },
      });
      return;
    }
    const now = deps.clock.now();
    const checked = validateScheduleDraft(submission.draft, now);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: scheduleErrorsByBlock(checked.errors) });
      return;
    }
    // The zone already known: a users.info call here (10 s timeout) could make the ack late after the write is done.
    const cachedZone = await storedTimeZoneOrUtc(deps.db, owner);
    await pausePoint('schedule:zone-read', owner);
    const { meetingId, origin } = submission.context;
    let stored: Awaited<ReturnType<typeof scheduleMeeting>>;
    try {
      stored =
        meetingId === undefined
          ? await scheduleMeeting(deps.db, owner, checked.request, {
              now,
              timeZone: cachedZone,
              sourceViewId: submission.viewId,
            })
          : await rescheduleMeeting(deps.db, owner, meetingId, checked.request, { now, timeZone: cachedZone });
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof UserInputError) {
        await ack({ response_action: 'errors', errors: { [SCHEDULE_MODAL.blocks.name]: error.message } });
        return;
      }
      throw error;
    }
    await ack();
    const zone = await settleMeetingTimeZone(
      deps,
      slackUserDirectory(client),
      owner,
      stored.meeting.id,
      cachedZone,
      now,
    );
    stored = { ...stored, meeting: { ...stored.meeting, timeZone: zone } };
    const kind = meetingId === undefined ? 'scheduled' : 'rescheduled';
    await sendDirectMessage(client, deps.db, owner, buildMeetingConfirmation(stored, zone, kind), now);
    await sendCalendarFile(client, deps, owner, stored, 'REQUEST');
    if (origin !== undefined) {
      await client.chat.update({ channel: origin.channel, ts: origin.ts, ...buildMeetingMoved(stored, zone) });
    }
  });
}
