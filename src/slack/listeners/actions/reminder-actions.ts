import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { markThankYouSent, snoozeThankYou } from '../../../domain/reminders/reminder-settings-service.js';
import { latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError } from '../../../lib/errors.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { REMINDER_ACTIONS, thankYouSnoozedMessage } from '../../ui/messages/reminders-messages.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner, parseId } from '../owner.js';
import { tellPresser } from '../tell.js';

const NOT_YOURS = 'That meeting is not one of yours, or it no longer exists. Nothing was changed.';

export function registerReminderActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  /** "Mark as sent": records the thank-you and stops its nudges; the nudge becomes a plain note. */
  app.action<BlockButtonAction>(REMINDER_ACTIONS.thankYouSent, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const meetingId = parseId(args.action.value);
    try {
      if (meetingId === null) throw new NotFoundError(NOT_YOURS);
      const owner = interactionOwner(args.body);
      const now = deps.clock.now();
      await markThankYouSent(deps.db, owner, meetingId, now);
      await tellPresser(args, ':white_check_mark: Thank-you marked as sent. No more nudges about it.', {
        replace: true,
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await tellPresser(args, NOT_YOURS);
    }
  });

  /** "Snooze a day": the nudge comes back tomorrow, outside quiet hours, or sooner (and says why) to stay in the 24 hours. */
  app.action<BlockButtonAction>(REMINDER_ACTIONS.thankYouSnooze, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const owner = interactionOwner(args.body);
    const meetingId = parseId(args.action.value);
    try {
      if (meetingId === null) throw new NotFoundError(NOT_YOURS);
      const now = deps.clock.now();
      const zone = await latestTimeZone(deps.db, slackUserDirectory(args.client), owner, now, deps.logger);
      const snooze = await snoozeThankYou(deps.db, owner, meetingId, now);
      if (snooze === null)
        await tellPresser(
          args,
          'The 24 hours after the meeting are nearly up: send your thank-you now if you can, then press Mark as sent.',
        );
      else await tellPresser(args, thankYouSnoozedMessage(snooze, now, zone), { replace: true });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await tellPresser(args, NOT_YOURS);
    }
  });
}
