import { workspaceHolidays } from '../../../domain/asks/asks-service.js';
import { localDay } from '../../../domain/business-days.js';
import { knownAdmin, refreshAdmin } from '../../admins.js';
import { buildHolidaysModal } from '../../ui/modals/holidays-modal.js';
import { openModal, updateModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview holidays`: the workspace's holidays; after the modal opens, Slack says whether the user may edit them. */
export const openHolidays: Subcommand = async (args, deps) => {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const days = await workspaceHolidays(deps.db, owner.teamId, localDay(now, 'UTC'));
  const known = await knownAdmin(deps.db, owner);
  const opened = await openModal(args, buildHolidaysModal({ days, canEdit: known }));
  if (opened === null) return;
  // Whether they are an admin, from Slack now that the modal is open; the submission trusts only this answer.
  const isAdmin = await refreshAdmin(client, deps.db, owner, now, deps.logger);
  if (isAdmin !== null && isAdmin !== known && opened.id) {
    // With the hash: a user already typing is not overwritten (hash_conflict); their submission is checked anyway.
    await updateModal(
      client,
      { id: opened.id, hash: opened.hash },
      buildHolidaysModal({ days, canEdit: isAdmin }),
    ).catch(() => undefined);
  }
};
