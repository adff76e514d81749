import type { ActionsBlock, KnownBlock } from '@slack/types';
import { ASK_CHANNEL_LABELS, type AskOutcome } from '../../../domain/asks/asks-service.js';
import type { Ask, Contact } from '../../../domain/types.js';
import { slackDay } from '../slack-date.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain } from '../text.js';
import type { OutgoingMessage } from './meeting-messages.js';

/** Buttons about asks. `open` carries a contact id; the others an ask id; both re-checked against the presser. */
export const ASK_ACTIONS = {
  open: 'ask_open',
  replied: 'ask_replied',
  declined: 'ask_declined',
  noAnswer: 'ask_no_answer',
  followUp: 'ask_follow_up_open',
  homeMenu: 'ask_home_menu',
} as const;

export const OUTCOME_ACTIONS: Record<AskOutcome, string> = {
  replied: ASK_ACTIONS.replied,
  declined: ASK_ACTIONS.declined,
  no_answer: ASK_ACTIONS.noAnswer,
};

export function askButton(
  contact: Contact,
  text = 'Ask',
): { type: 'button'; action_id: string; text: ReturnType<typeof plain>; value: string } {
  return { type: 'button', action_id: ASK_ACTIONS.open, text: plain(text), value: String(contact.id) };
}

/** What the user can say about an ask: they replied, declined, or nothing came; and, when due, follow up once. */
export function askOutcomeButtons(askId: number, options: { followUp: boolean }): ActionsBlock {
  const value = String(askId);
  return {
    type: 'actions',
    block_id: `ask:${askId}`,
    elements: [
      ...(options.followUp
        ? [
            {
              type: 'button' as const,
              action_id: ASK_ACTIONS.followUp,
              text: plain('Follow up once'),
              value,
              style: 'primary' as const,
            },
          ]
        : []),
      {
        type: 'button',
        action_id: ASK_ACTIONS.replied,
        text: plain('They replied'),
        value,
        ...(options.followUp ? {} : { style: 'primary' as const }),
      },
      { type: 'button', action_id: ASK_ACTIONS.declined, text: plain('They declined'), value },
      { type: 'button', action_id: ASK_ACTIONS.noAnswer, text: plain('No answer'), value },
    ],
  };
}

/** The DM after "Mark as sent": what happens next, and the buttons to record the answer. Days read in `zone`. */
export function buildAskRecordedMessage(
  ask: Ask,
  contact: Contact,
  nudges: { next: string; followUp: string },
  zone: string,
): OutgoingMessage {
  const name = escapeToFit(contact.name, 200);
  return {
    text: `Ask to ${name} recorded`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:outbox_tray: Ask to *${name}* recorded (${ASK_CHANNEL_LABELS[ask.channel]}, ${slackDay(ask.sentOn, zone)}). If there is no reply, I will suggest the next person to ask on ${slackDay(nudges.next, zone)} and a friendly follow-up on ${slackDay(nudges.followUp, zone)}.`,
        ),
      },
      askOutcomeButtons(ask.id, { followUp: false }),
    ],
  };
}

/** What the ask's message becomes once closed: kind words, and the next step. */
export function askClosedText(outcome: AskOutcome, contact: Contact): string {
  const name = escapeToFit(contact.name, 200);
  switch (outcome) {
    case 'replied':
      return `:tada: *${name}* replied. Schedule the conversation while it is fresh: the form is open.`;
    case 'declined':
      return `:relieved: *${name}* declined, and that is fine: thank them for answering. People are busy; the next person may well say yes.`;
    case 'no_answer':
      return `:leaves: No answer from *${name}*: closed, no more nudges. It is rarely personal. Keep going with the next person on your list.`;
  }
}

/** Day 3 and day 7 of an ask, as reminder DMs; the ask's day reads in `zone`. */
export function askNextMessage(contact: Contact, ask: Ask, next: Contact | null, zone: string): OutgoingMessage {
  const name = escapeToFit(contact.name, 200);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `Three business days since you asked *${name}* (${slackDay(ask.sentOn, zone)}) and no reply yet. That is normal. Rather than wait, ask the next person on your list; I will remind you to follow up with ${name} once, on day 7.`,
      ),
    },
  ];
  if (next !== null) {
    const role = [next.title, next.company].filter(Boolean).join(', ');
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*Next to ask:* ${escapeToFit(next.name, 200)}${role ? ` · ${escapeToFit(role, 300)}` : ''}${next.referredById !== null ? ' _(someone referred you)_' : ''}`,
      ),
      accessory: askButton(next, `Ask ${truncateName(next.name)}`),
    });
  } else {
    blocks.push({
      type: 'context',
      elements: [mrkdwn('Everyone in your contacts has been asked or met. Add someone new with `/infoview contact`.')],
    });
  }
  blocks.push(askOutcomeButtons(ask.id, { followUp: false }));
  return { text: `No reply from ${name} yet: ask the next person`, blocks };
}

export function askFollowUpMessage(contact: Contact, ask: Ask, draft: string, zone: string): OutgoingMessage {
  const name = escapeToFit(contact.name, 200);
  const quoted = draft
    .split('\n')
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join('\n');
  return {
    text: `Follow up once with ${name}`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `Seven business days since you asked *${name}* (${slackDay(ask.sentOn, zone)}). Follow up once, briefly; after that, let it rest. A draft:`,
        ),
      },
      { type: 'section', text: mrkdwn(quoted.slice(0, 2900)) },
      askOutcomeButtons(ask.id, { followUp: true }),
    ],
  };
}

function truncateName(name: string): string {
  const chars = [...name];
  return chars.length <= 30 ? name : `${chars.slice(0, 29).join('')}…`;
}
