import { findContactsPage } from '../../../domain/contacts/contacts-service.js';
import { latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { buildContactList, CONTACTS_PAGE_SIZE } from '../../ui/messages/contacts-messages.js';
import { slackUserDirectory } from '../../user-directory.js';
import { commandOwner } from '../owner.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview contacts [query]`: the first page of matching contacts, only visible to the user. */
export const showContacts: Subcommand = async ({ ack, command, client, respond }, deps, query) => {
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  const page = await findContactsPage(deps.db, owner, query, { offset: 0, limit: CONTACTS_PAGE_SIZE, now });
  await respond({
    response_type: 'ephemeral',
    ...buildContactList(page.summaries, { query, offset: 0, hasMore: page.hasMore, zone }),
  });
};
