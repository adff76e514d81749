import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import {
  abandonFullReport,
  type FullReportStart,
  finishFullReport,
  startFullReport,
} from '../../../domain/debriefs/full-report-service.js';
import { MEETING_NOT_FOUND } from '../../../domain/not-found.js';
import { storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { publishFullReport } from '../../full-report-publisher.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { DEBRIEF_ACTIONS } from '../../ui/messages/debrief-messages.js';
import {
  buildFullReportMessage,
  FULL_REPORT_BUSY,
  FULL_REPORT_FAILED,
} from '../../ui/messages/full-report-messages.js';
import type { OutgoingMessage } from '../../ui/messages/meeting-messages.js';
import { noteMessage, platformErrorCode } from '../../web-api/web-api-errors.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner, parseId } from '../owner.js';
import { tellPresser } from '../tell.js';

export function registerFullReportActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  /**
   * "Write the full report" on the DM after a debrief: the canvas (or, where there can be none, the Markdown file)
   * is written once; any later click gets the link to it instead. A meeting that is not the presser's changes nothing.
   */
  app.action<BlockButtonAction>(
    DEBRIEF_ACTIONS.writeFullReport,
    async ({ ack, action, body, client, respond, context }) => {
      const deps = requestDeps(appDeps, context);
      await ack();
      const owner = interactionOwner(body);
      const now = deps.clock.now();
      // Answers only the presser: ephemeral under the button, or a DM where there is no response_url.
      const reply = (message: OutgoingMessage) => tellPresser({ body, client, respond }, message, { dm: deps });
      const meetingId = parseId(action.value);
      let start: FullReportStart;
      try {
        if (meetingId === null) throw new NotFoundError(MEETING_NOT_FOUND);
        start = await startFullReport(deps.db, owner, meetingId, await storedTimeZoneOrUtc(deps.db, owner), now);
      } catch (error) {
        if (!(error instanceof NotFoundError || error instanceof UserInputError)) throw error;
        return reply(noteMessage(error.message));
      }
      if (start.kind === 'busy') return reply(FULL_REPORT_BUSY);
      if (start.kind === 'exists') return reply(buildFullReportMessage(start.report, start.title));
      let published: Awaited<ReturnType<typeof publishFullReport>>;
      try {
        published = await publishFullReport(client, deps, owner, start.report, now);
      } catch (error) {
        await abandonFullReport(deps.db, owner, meetingId);
        deps.logger.warn(
          `full report for meeting ${meetingId} not written: ${platformErrorCode(error) ?? (error instanceof Error ? error.name : 'error')}`,
        );
        return reply(FULL_REPORT_FAILED);
      }
      const stored = await finishFullReport(deps.db, owner, meetingId, published, start.report.markdown, now);
      // The Markdown file arrived with its own comment; a canvas is announced with its link.
      if (stored.format === 'canvas')
        await sendDirectMessage(client, deps.db, owner, buildFullReportMessage(stored, start.report.title), now);
    },
  );
}
