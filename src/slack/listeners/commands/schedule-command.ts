import { parseScheduleText } from '../../../domain/meetings/schedule-text.js';
import { latestTimeZone, storedTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { FALLBACK_TIME_ZONE } from '../../../lib/zoned-time.js';
import { buildScheduleModal } from '../../ui/modals/schedule-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import { openModal, updateModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

// The same form every time: built once, so openModal encodes it once too.
const BLANK_SCHEDULE_MODAL = buildScheduleModal({ name: null, startsAt: null });

/**
 * `/infoview schedule [text]`. Acks, then opens the modal before any Web API call: the trigger_id expires 3 seconds
 * after the command, and users.info may take longer. Free text needs the user's zone for its time: a cached zone
 * fills it at once; a newcomer's form opens with the name, and the time follows by views.update once Slack has told
 * us the zone.
 */
export const openScheduleModal: Subcommand = async (args, deps, text) => {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const cached = text === '' ? null : await storedTimeZone(deps.db, owner);
  // The name reads the same in any zone; the time only in the user's own.
  const hint = text === '' ? null : parseScheduleText(text, now, cached ?? FALLBACK_TIME_ZONE);
  const shown = hint === null ? null : { name: hint.name, startsAt: cached === null ? null : hint.startsAt };
  const blank = shown === null || (shown.name === null && shown.startsAt === null);
  const opened = await openModal(args, blank ? BLANK_SCHEDULE_MODAL : buildScheduleModal(shown));
  if (opened === null) return;
  // Also warms the zone, so the submission and its confirmation need no users.info call.
  const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  if (hint === null || cached !== null || hint.startsAt === null || !opened.id) return;
  // users.info failed: no zone to read the time in, and the form as opened stays usable.
  if ((await storedTimeZone(deps.db, owner)) === null) return;
  const timed = parseScheduleText(text, now, zone);
  if (timed.startsAt === null) return;
  const view = buildScheduleModal({ name: shown?.name ?? null, startsAt: timed.startsAt });
  try {
    await updateModal(client, { id: opened.id, hash: opened.hash }, view);
  } catch (error) {
    // The user changed the form meanwhile (hash_conflict) or closed it (not_found): theirs stands.
    const code = platformErrorCode(error);
    if (code !== 'hash_conflict' && code !== 'not_found') throw error;
  }
};
