import type { BlockAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';

/**
 * Shows `view` for a button press: a button inside a modal replaces that modal (views.update, with its hash so a
 * stale view is not overwritten); anywhere else (a message, Home) opens a new modal with the trigger.
 */
export async function showView(client: WebClient, body: BlockAction, view: ModalView): Promise<void> {
  if (body.view?.type === 'modal') {
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view });
  } else {
    await client.views.open({ trigger_id: body.trigger_id, view });
  }
}
