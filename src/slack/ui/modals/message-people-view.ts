import type { KnownBlock, ModalView } from '@slack/types';
import {
  type MessagePerson,
  type MessageSource,
  messageSourceSchema,
  personLabel,
} from '../../../domain/contacts/message-contacts.js';
import type { Contact } from '../../../domain/types.js';
import { CONTACT_ACTIONS, contactButtons } from '../messages/contacts-messages.js';
import { contactLine } from '../messages/meeting-messages.js';
import { escapeToFit, mrkdwn, plain, truncate } from '../text.js';

/** The view listing the people a message names, each with a button that turns the view into their contact form. */
export const MESSAGE_PEOPLE_VIEW = {
  callbackId: 'message_people',
  /** The button's value is the person's index in the view's private_metadata (a MessageSource). */
  logActionId: 'message_person_log',
} as const;

export interface MessagePeopleInput {
  source: MessageSource;
  /** The contact just saved from this message (the confirmation), if any. */
  saved?: { contact: Contact; created: boolean };
  /** The author, already one of the user's contacts (nothing to save for them). */
  knownAuthor?: Contact;
  /** The contact the people will be saved as referred by (the author), to say so. */
  referrer: Contact | null;
  /** Why the author is not offered (an app's message). */
  note?: string;
}

function personText(person: MessagePerson): string {
  // A mention is written as Slack writes it, so Slack shows the person's current name (and nothing else can be).
  if (person.slackUserId) return `<@${person.slackUserId}>`;
  const details = [person.name ? `*${escapeToFit(person.name, 200)}*` : '', person.email, person.profileUrl]
    .filter(Boolean)
    .map((part, index) => (index === 0 && person.name ? part : escapeToFit(part, 600)));
  return details.join(' · ');
}

/**
 * After a contact is saved from a message, or when the author is already a contact: who else the message names,
 * each with a *Log* button. The MessageSource rides in private_metadata so each press knows the rest. Pure.
 */
export function buildMessagePeopleView(input: MessagePeopleInput): ModalView {
  const { source, saved, knownAuthor, referrer } = input;
  const blocks: KnownBlock[] = [];
  if (saved) {
    blocks.push(
      { type: 'section', text: mrkdwn(`${saved.created ? 'Logged' : 'Saved'}:\n${contactLine(saved.contact)}`) },
      contactButtons(saved.contact, `contact_actions:${saved.contact.id}`),
    );
  }
  if (knownAuthor) {
    blocks.push({
      type: 'section',
      block_id: 'message_author_known',
      text: mrkdwn(`The author is already one of your contacts:\n${contactLine(knownAuthor)}`),
      accessory: {
        type: 'button',
        action_id: CONTACT_ACTIONS.editExisting,
        text: plain(truncate(`Edit ${knownAuthor.name}`, 75)),
        value: String(knownAuthor.id),
      },
    });
  }
  if (input.note) blocks.push({ type: 'context', elements: [mrkdwn(escapeToFit(input.note, 1000))] });
  if (source.people.length > 0) {
    blocks.push({ type: 'header', text: plain(saved ? 'Also in that message' : 'People in that message') });
    source.people.forEach((person, index) => {
      blocks.push({
        type: 'section',
        block_id: `message_person_${index}`,
        text: mrkdwn(personText(person) || 'Someone'),
        accessory: {
          type: 'button',
          action_id: MESSAGE_PEOPLE_VIEW.logActionId,
          text: plain(truncate(`Log ${personLabel(person) || 'them'}`, 75)),
          value: String(index),
        },
      });
    });
    const by = referrer ? `, referred by ${escapeToFit(referrer.name, 200)}` : '';
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `*Log* opens the contact form for them, filled in from the message${by}. Nothing is saved until you do.`,
        ),
      ],
    });
  } else if (!saved) {
    blocks.push({ type: 'context', elements: [mrkdwn('The message names nobody else to log.')] });
  }
  return {
    type: 'modal',
    callback_id: MESSAGE_PEOPLE_VIEW.callbackId,
    title: plain(saved ? (saved.created ? 'Contact logged' : 'Contact saved') : 'Log as contact'),
    close: plain('Done'),
    private_metadata: JSON.stringify(source),
    blocks,
  };
}

/** The MessageSource a people view carries; null for a view of another shape (untrusted). */
export function parseMessagePeopleView(view: { private_metadata?: string } | undefined): MessageSource | null {
  try {
    const parsed = messageSourceSchema.safeParse(JSON.parse(view?.private_metadata || ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
