import { DateTime } from 'luxon';
import { meetingsToDebrief } from '../../../domain/debriefs/debriefs-service.js';
import { latestTimeZone, storedTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { FALLBACK_TIME_ZONE } from '../../../lib/zoned-time.js';
import { buildDebriefModal } from '../../ui/modals/debrief-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import { openModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview debrief`: pick a recent meeting without a debrief, or log a conversation that was not scheduled. */
export const openDebrief: Subcommand = async (args, deps) => {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = (await storedTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
  const choices = await meetingsToDebrief(deps.db, owner, now, 100);
  const today = DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
  await openModal(args, buildDebriefModal({ mode: 'choose', choices, zone, today }));
  await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
};
