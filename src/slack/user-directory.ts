import type { WebClient } from '@slack/web-api';
import type { SlackUserFacts } from '../domain/contacts/colleagues.js';

/** users.info (scope users:read) for a picked colleague: what the contact form reads of them. Throws on Web API failure. */
export async function lookUpSlackUser(client: WebClient, userId: string): Promise<SlackUserFacts> {
  const result = await client.users.info({ user: userId });
  return result.user ?? {};
}
