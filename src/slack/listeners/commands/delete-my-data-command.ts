import { countUserData } from '../../../domain/your-data/export-service.js';
import { buildDeleteMyDataModal } from '../../ui/modals/delete-my-data-modal.js';
import { openModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview delete-my-data`: a confirmation saying what will be deleted; the modal's submission deletes. */
export const confirmDeleteMyData: Subcommand = async (args, deps) => {
  await args.ack();
  await openModal(args, buildDeleteMyDataModal(await countUserData(deps.db, commandOwner(args.command))));
};
