import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { cohortCsvFor } from '../../../domain/centre/cohort-service.js';
import { sendFilesToUser } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { COHORT_ACTIONS } from '../../ui/home/cohort-section.js';
import { cohortCsvComment, noCohortFigures } from '../../ui/messages/cohort-messages.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';
import { tellPresser } from '../tell.js';

export function registerCohortActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  /**
   * "Download CSV" in the cohort section of an advisor's Home: the table as this advisor may see it, uploaded to their
   * DM (files.uploadV2). The presser is checked again here: anyone who is not an advisor of this workspace's centre
   * (another workspace, a withdrawn advisor, a forged press) gets nothing at all. Not a look at anyone: not logged.
   */
  app.action<BlockButtonAction>(COHORT_ACTIONS.downloadCsv, async ({ ack, body, client, respond, context }) => {
    const deps = requestDeps(appDeps, context);
    await ack();
    const owner = interactionOwner(body);
    const now = deps.clock.now();
    const csv = await cohortCsvFor(deps.db, owner.teamId, owner.userId, now);
    if (csv.kind === 'not_advisor') {
      deps.logger.info('cohort csv refused: not an advisor');
      return;
    }
    if (csv.kind === 'no_figures') return tellPresser({ body, client, respond }, noCohortFigures(csv.k), { dm: deps });
    await sendFilesToUser(
      client,
      deps.db,
      owner,
      [{ filename: csv.filename, content: csv.content, title: 'Cohort figures' }],
      cohortCsvComment(csv.table),
      now,
    );
  });
}
