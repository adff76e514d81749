import type { WebClient } from '@slack/web-api';
import type { SlackUserFacts } from '../domain/contacts/colleagues.js';
import type { UserDirectory } from '../domain/ports.js';

/** users.info (scope users:read) for a picked colleague: what the contact form reads of them. Throws on Web API failure. */
export async function lookUpSlackUser(client: WebClient, userId: string): Promise<SlackUserFacts> {
  const result = await client.users.info({ user: userId });
  return result.user ?? {};
}

/** users.info (scope users:read) as the domain's UserDirectory. */
export function slackUserDirectory(client: WebClient): UserDirectory {
  // One users.info call gives both: the email (present only with users:read.email) is kept from the zone's answer.
  const emails = new Map<string, string | null>();
  return {
    async timeZoneOf(owner) {
      const result = await client.users.info({ user: owner.userId });
      emails.set(owner.userId, result.user?.profile?.email ?? null);
      return result.user?.tz ?? null;
    },
    emailOf(owner) {
      return emails.get(owner.userId) ?? null;
    },
  };
}
