import type { BlockAction, RespondFn, SlackShortcut, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ListenerDeps } from '../../deps.js';
import { sendDirectMessage } from '../direct-messages.js';
import type { OutgoingMessage } from '../ui/messages/meeting-messages.js';
import { noteMessage } from '../web-api/web-api-errors.js';
import { interactionOwner } from './owner.js';

/** A slash command: Slack always gives it a response_url. */
export type CommandPress = { command: SlashCommand; respond: RespondFn; client: WebClient };
/** A button or menu press: a response_url on a message, none on Home or inside a modal. */
export type ActionPress = { body: BlockAction; respond: RespondFn; client: WebClient };
/** A shortcut: a message shortcut has a response_url (its message's conversation), a global one none. */
export type ShortcutPress = { body: SlackShortcut; respond: RespondFn; client: WebClient };
export type Press = CommandPress | ActionPress | ShortcutPress;

export type TellOptions = {
  /** A press on a message: the note replaces that message (replace_original) instead of appearing under it. */
  replace?: boolean;
  /** A press with no response_url (Home, a modal): the note goes to the app's DM, sent with these; else it is dropped. */
  dm?: Pick<ListenerDeps, 'db' | 'clock'>;
  /** With `dm`: the DM even when the press has a response_url (Home's quick actions answer there only). */
  dmAlways?: boolean;
};

/**
 * Tells the presser something only they see: a command's ephemeral reply; for a press, an ephemeral note where they
 * pressed (response_url), else the app's DM when `dm` is given. Text goes to the DM as a plain-text note (nothing to
 * escape); a built message goes as it is.
 */
export async function tellPresser(
  press: Press,
  what: string | OutgoingMessage,
  options: TellOptions = {},
): Promise<void> {
  const message = typeof what === 'string' ? { text: what } : what;
  if ('command' in press) {
    await press.respond({ response_type: 'ephemeral', ...message });
    return;
  }
  const { dm } = options;
  const responseUrl = 'response_url' in press.body ? press.body.response_url : undefined;
  if (responseUrl && !(dm && options.dmAlways)) {
    await press.respond({ response_type: 'ephemeral', replace_original: options.replace ?? false, ...message });
  } else if (dm) {
    const note = typeof what === 'string' ? noteMessage(what) : what;
    await sendDirectMessage(press.client, dm.db, interactionOwner(press.body), note, dm.clock.now());
  }
}
