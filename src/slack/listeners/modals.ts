import type { ModalView } from '@slack/types';
import type { ViewsOpenResponse, ViewsUpdateResponse, WebClient } from '@slack/web-api';
import { isTriggerProblem, TRIGGER_EXPIRED_TEXT } from '../web-api/web-api-errors.js';
import { type ActionPress, type Press, type TellOptions, tellPresser } from './tell.js';

/** The view Slack opened: its id and hash, for a later views.update that must not overwrite what the user typed. */
export type OpenedView = { id?: string; hash?: string };

// Views are never changed once built, so a view passed again (a blank form kept in a constant) is encoded once.
const encodedViews = new WeakMap<ModalView, string>();

/**
 * The view as the JSON text the Web API takes for `view` (the same form field the WebClient would send). Handed an
 * object, the client walks it to redact tokens and stringifies it again for a debug line, at any log level: for a
 * modal of a hundred objects that costs more than sending it. Handed text, it does neither.
 */
function encoded(view: ModalView): string {
  let text = encodedViews.get(view);
  if (text === undefined) {
    text = JSON.stringify(view);
    encodedViews.set(view, text);
  }
  return text;
}

/**
 * Opens `view` with the press's trigger_id (it lives 3 seconds: call before any other Web API call). A trigger that
 * expired or was used is told to the presser (see tellPresser for `tell`) and gives null; other errors throw.
 */
export async function openModal(press: Press, view: ModalView, tell?: TellOptions): Promise<OpenedView | null> {
  const triggerId = 'command' in press ? press.command.trigger_id : press.body.trigger_id;
  try {
    const opened = (await press.client.apiCall('views.open', {
      trigger_id: triggerId,
      view: encoded(view),
    })) as ViewsOpenResponse;
    return opened.view ?? {};
  } catch (error) {
    if (!isTriggerProblem(error)) throw error;
    await tellPresser(press, TRIGGER_EXPIRED_TEXT, tell);
    return null;
  }
}

/**
 * Replaces an open modal's view; with its hash, Slack refuses (hash_conflict) if the user changed it meanwhile.
 * Gives the view Slack now shows (its id and new hash, for a later update).
 */
export async function updateModal(
  client: WebClient,
  current: { id: string; hash?: string | undefined },
  view: ModalView,
): Promise<OpenedView> {
  const updated = (await client.apiCall('views.update', {
    view_id: current.id,
    ...(current.hash ? { hash: current.hash } : {}),
    view: encoded(view),
  })) as ViewsUpdateResponse;
  return updated.view ?? {};
}

/**
 * Shows `view` for a button press: a button inside a modal replaces that modal (with its hash, so a stale view is
 * not overwritten); anywhere else (a message, Home) opens a new modal with the trigger, as openModal does.
 */
export async function showModal(press: ActionPress, view: ModalView, tell?: TellOptions): Promise<void> {
  const current = press.body.view;
  if (current?.type === 'modal') await updateModal(press.client, current, view);
  else await openModal(press, view, tell);
}
