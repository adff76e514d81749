import { exportUserData } from '../../../domain/your-data/export-service.js';
import { sendFilesToUser } from '../../direct-messages.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview export`: CSV files and a JSON file of everything the user has, in their DM. */
export const exportData: Subcommand = async ({ ack, command, client, respond }, deps) => {
  await ack({
    response_type: 'ephemeral',
    text: 'Preparing your export: it will arrive in your DM with infoview in a moment.',
  });
  const owner = commandOwner(command);
  const now = deps.clock.now();
  try {
    const exported = await exportUserData(deps.db, owner, now);
    const { contacts, meetings, adviceItems } = exported.counts;
    const comment = `Your infoview data: ${contacts} contacts, ${meetings} meetings (with debriefs) and ${adviceItems} advice items as CSV for a spreadsheet, and everything as JSON.`;
    await sendFilesToUser(client, deps.db, owner, exported.files, comment, now);
  } catch (error) {
    // Not left at "Preparing…": the user hears that it failed and that nothing was lost.
    deps.logger.error(`export for ${owner.teamId}/${owner.userId} failed`, error);
    await respond({
      response_type: 'ephemeral',
      text: 'Your export could not be delivered (Slack did not take the files). Nothing was changed: please try `/infoview export` again in a few minutes.',
    });
  }
};
