import { askPurposeOf } from '../../../domain/asks/asks-service.js';
import { centreIsOn } from '../../../domain/centre/centre-service.js';
import { reminderSettingsOf } from '../../../domain/reminders/reminder-settings-service.js';
import { latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { buildSettingsModal } from '../../ui/modals/settings-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import { openModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview settings`: the reminder settings modal, filled with the user's current choices. */
export const openSettings: Subcommand = async (args, deps) => {
  const { ack, command } = args;
  await ack();
  const settings = await reminderSettingsOf(deps.db, commandOwner(command));
  const purpose = await askPurposeOf(deps.db, commandOwner(command));
  await openModal(args, buildSettingsModal(settings, purpose, await centreIsOn(deps.db, command.team_id)));
  await latestTimeZone(deps.db, slackUserDirectory(args.client), commandOwner(command), deps.clock.now(), deps.logger);
};
