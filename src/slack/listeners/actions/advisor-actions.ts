import type { BlockAction, BlockButtonAction, StaticSelectAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { advisorStages, chooseAdvisorView } from '../../../domain/centre/advisor-service.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { ADVISOR_HOME, parseAdvisorPage, parseAdvisorSort } from '../../ui/home/advisor-home-view.js';
import { buildAdvisorStagesModal } from '../../ui/modals/advisor-stages-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal } from '../modals.js';
import { interactionOwner } from '../owner.js';

/**
 * The advisor's Home: sort, pages and a sharer's stages. Each press is checked again on the server (an active advisor
 * of this workspace; for stages, a share at level `stages` with this advisor now): anything else changes and reveals
 * nothing. Nothing is ever posted to a channel; Home is republished after the press (middleware) with the choice.
 */
export function registerAdvisorActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.action<BlockAction<StaticSelectAction>>(ADVISOR_HOME.actions.sort, async ({ ack, action, body, context }) => {
    const deps = requestDeps(appDeps, context);
    await ack();
    const sort = parseAdvisorSort(action.selected_option?.value);
    if (sort !== null) await chooseAdvisorView(deps.db, interactionOwner(body), { sort }, deps.clock.now());
  });

  app.action<BlockButtonAction>(
    new RegExp(`^${ADVISOR_HOME.actions.page}_(previous|next)$`),
    async ({ ack, action, body, context }) => {
      const deps = requestDeps(appDeps, context);
      await ack();
      const page = parseAdvisorPage(action.value);
      if (page !== null) await chooseAdvisorView(deps.db, interactionOwner(body), { page }, deps.clock.now());
    },
  );

  app.action<BlockButtonAction>(
    ADVISOR_HOME.actions.stages,
    async ({ ack, action, body, client, context, respond }) => {
      const deps = requestDeps(appDeps, context);
      await ack();
      const sharerId = typeof action.value === 'string' ? action.value : '';
      const stages = await advisorStages(deps.db, interactionOwner(body), sharerId, deps.clock.now());
      const opened = await openModal({ body, client, respond }, buildAdvisorStagesModal(sharerId, stages));
      if (opened === null) deps.logger.warn('trigger expired for advisor stages');
    },
  );
}
