import { listUpcomingMeetings } from '../../../domain/meetings/meetings-service.js';
import { latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { buildUpcomingList, UPCOMING_LIMIT } from '../../ui/messages/upcoming-messages.js';
import { slackUserDirectory } from '../../user-directory.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview upcoming`: the next meetings, only visible to the user. */
export const showUpcoming: Subcommand = async ({ ack, command, client, respond }, deps) => {
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  const meetings = await listUpcomingMeetings(deps.db, owner, now, UPCOMING_LIMIT + 1);
  const message = buildUpcomingList(meetings.slice(0, UPCOMING_LIMIT), zone, meetings.length > UPCOMING_LIMIT);
  await respond({ response_type: 'ephemeral', ...message });
};
