import { contactsCalled, startAsk } from '../../../domain/asks/asks-service.js';
import { directMessageLinkOf } from '../../../domain/contacts/colleagues.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import type { Contact } from '../../../domain/types.js';
import { buildAskModal, buildAskPickModal } from '../../ui/modals/ask-modal.js';
import { truncate } from '../../ui/text.js';
import { slackUserDirectory } from '../../user-directory.js';
import { openModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview ask [name]`: the ask modal for the one contact of that name, else a picker saying why. */
export const openAsk: Subcommand = async (args, deps, name) => {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const matches = name === '' ? [] : await contactsCalled(deps.db, owner, name, 4);
  if (matches.length === 1) {
    const zone = await storedTimeZoneOrUtc(deps.db, owner);
    const start = await startAsk(deps.db, owner, (matches[0] as Contact).id, zone, now);
    const directMessageUrl = directMessageLinkOf(owner.teamId, start.contact);
    await openModal(args, buildAskModal({ ...start, version: 0, directMessageUrl }));
  } else {
    const shown = truncate(name.replace(/[`&<>*_~]/g, ''), 60);
    const note =
      name === ''
        ? null
        : matches.length === 0
          ? `No contact called "${shown}": pick one, or add them with \`/infoview contact\` first.`
          : `Several contacts are called "${shown}": pick the one you mean.`;
    await openModal(args, buildAskPickModal({ note, contact: null }));
  }
  await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
};
