import type { Owner } from '../../domain/types.js';

/** The owner of a slash command: its workspace and the user who typed it. */
export function commandOwner(command: { team_id: string; user_id: string }): Owner {
  return { teamId: command.team_id, userId: command.user_id };
}

/** The owner of an interaction payload (block_actions, view_submission): `team` is null in org-wide installs. */
export function interactionOwner(body: {
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
}): Owner {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

/** Reads a positive integer id from a button value; anything else is null. */
export function parseId(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}
