import type { Owner } from './types.js';

/** What the domain needs to know about a Slack user; implemented over users.info. */
export interface UserDirectory {
  /** The user's IANA zone as Slack has it, or null when Slack does not say. Throws on Web API failure. */
  timeZoneOf(owner: Owner): Promise<string | null>;
}
