import { DateTime } from 'luxon';
import type { ListenerDeps } from '../../../deps.js';
import { validateDebriefDraft } from '../../../domain/debriefs/debrief-rules.js';
import {
  type DebriefTarget,
  reportBackDraftFor,
  saveDebrief,
  saveDraft,
  thankYouDraftFor,
} from '../../../domain/debriefs/debriefs-service.js';
import { getMeeting } from '../../../domain/meetings/meetings-service.js';
import { settleMeetingTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildDebriefSavedMessage,
  buildReportBackDraftMessage,
  buildThankYouDraftMessage,
} from '../../ui/messages/debrief-messages.js';
import { DEBRIEF_MODAL, debriefErrorsByBlock, parseDebriefSubmission } from '../../ui/modals/debrief-modal.js';
import { DRAFT_MODAL, parseDraftSubmission } from '../../ui/modals/draft-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

export function registerDebriefSubmissions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  /**
   * Saves the debrief (inline errors keep the form open), then DMs what it produced: the people suggested, now
   * contacts with a Schedule button, the things to do, and the thank-you draft.
   */
  app.view(DEBRIEF_MODAL.callbackId, async ({ ack, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const submission = parseDebriefSubmission(body.view);
    if (!submission.ok) {
      await ack({
        response_action: 'errors',
        errors: { [DEBRIEF_MODAL.blocks.topics]: 'This form could not be read. Please close it and try again.' },
      });
      return;
    }
    const checked = validateDebriefDraft(submission.draft);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: debriefErrorsByBlock(checked.errors) });
      return;
    }
    const now = deps.clock.now();
    // The zone already known: a users.info call here could make the ack late after the write is done.
    const zone = await storedTimeZoneOrUtc(deps.db, owner);
    const target = targetOf(submission, zone, now);
    if ('problem' in target) {
      await ack({ response_action: 'errors', errors: { [target.block]: target.problem } });
      return;
    }
    let outcome: Awaited<ReturnType<typeof saveDebrief>>;
    try {
      outcome = await saveDebrief(deps.db, owner, target, checked.debrief, { now, zone });
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof UserInputError)) throw error;
      // A debrief opened for one meeting has no name field: its errors go on the first field it has.
      const block = submission.fixedMeeting ? DEBRIEF_MODAL.blocks.topics : DEBRIEF_MODAL.blocks.name;
      await ack({ response_action: 'errors', errors: { [block]: error.message } });
      return;
    }
    await ack();
    await settleMeetingTimeZone(deps, slackUserDirectory(client), owner, outcome.found.meeting.id, zone, now);
    await sendDirectMessage(client, deps.db, owner, buildDebriefSavedMessage(outcome), now);
    if (outcome.found.meeting.thankYouSentAt === null) {
      await sendDirectMessage(
        client,
        deps.db,
        owner,
        buildThankYouDraftMessage(outcome.found.meeting.id, outcome.found.contact.name, outcome.thankYouDraft),
        now,
      );
    }
  });

  /** Keeps an edited draft and DMs it back, ready to copy. */
  app.view(DRAFT_MODAL.callbackId, async ({ ack, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const parsed = parseDraftSubmission(body.view);
    if (parsed === null) {
      await ack({
        response_action: 'errors',
        errors: { [DRAFT_MODAL.blockId]: 'This form could not be read. Please close it and try again.' },
      });
      return;
    }
    const now = deps.clock.now();
    try {
      await saveDraft(deps.db, owner, parsed.meetingId, parsed.which, parsed.text, now);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await ack({ response_action: 'errors', errors: { [DRAFT_MODAL.blockId]: error.message } });
      return;
    }
    await ack();
    const { contact } = await getMeeting(deps.db, owner, parsed.meetingId);
    const message =
      parsed.which === 'thank_you'
        ? buildThankYouDraftMessage(
            parsed.meetingId,
            contact.name,
            await thankYouDraftFor(deps.db, owner, parsed.meetingId),
          )
        : buildReportBackDraftMessage(
            parsed.meetingId,
            contact.name,
            await reportBackDraftFor(deps.db, owner, parsed.meetingId),
          );
    await sendDirectMessage(client, deps.db, owner, message, now);
  });
}

/** The meeting picked (or fixed by the nudge), or the unscheduled conversation described, or what is missing. */
function targetOf(
  submission: Extract<ReturnType<typeof parseDebriefSubmission>, { ok: true }>,
  zone: string,
  now: Date,
): DebriefTarget | { block: string; problem: string } {
  if (submission.meetingId !== null) return { meetingId: submission.meetingId };
  const { contactId, name, date } = submission.past;
  if (contactId === null && name === '')
    return { block: DEBRIEF_MODAL.blocks.name, problem: 'Pick one of your meetings, or say who you talked to.' };
  const day = date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone }) : null;
  if (day === null || !day.isValid) return { block: DEBRIEF_MODAL.blocks.date, problem: 'Pick the day you talked.' };
  // A day without a time: noon there, or just now if that is still to come today.
  const noon = day.set({ hour: 12 }).toJSDate();
  const startsAt =
    noon.getTime() > now.getTime() && day.hasSame(DateTime.fromJSDate(now, { zone }), 'day') ? now : noon;
  if (startsAt.getTime() > now.getTime())
    return { block: DEBRIEF_MODAL.blocks.date, problem: 'That day has not come yet: pick the day you talked.' };
  return { pastMeeting: { contactId, name, startsAt, sourceViewId: submission.viewId } };
}
