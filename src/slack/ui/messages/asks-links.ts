import type { Contact } from '../../../domain/types.js';

/** The link that opens a DM with a contact who is a colleague in the workspace; null for anyone else. */
export function directMessageLinkFor(_teamId: string, _contact: Contact): string | null {
  return null;
}
