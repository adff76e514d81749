import { mrkdwn, truncate } from '../text.js';
import type { OutgoingMessage } from './meeting-messages.js';

/** The subcommands that work today, each with an example; unknown subcommands get this too. */
export const SUBCOMMAND_HELP: readonly { usage: string; example: string; what: string }[] = [
  {
    usage: 'schedule [name] [when]',
    example: '/infoview schedule Ada Lovelace next Tuesday 3pm',
    what: 'Plan an informational interview. Name and time are optional and pre-fill the form.',
  },
  { usage: 'upcoming', example: '/infoview upcoming', what: 'List your upcoming meetings, soonest first.' },
  {
    usage: 'ask [name]',
    example: '/infoview ask Grace Hopper',
    what: 'Draft a short request for a conversation, mark it sent, and get the 3B7 nudges (day 3: ask the next person; day 7: follow up once).',
  },
  {
    usage: 'contact [name]',
    example: '/infoview contact Grace Hopper',
    what: 'Log someone you met or were referred to.',
  },
  {
    usage: 'contacts [search]',
    example: '/infoview contacts design',
    what: 'Find your contacts by name, organisation, title or tag, and schedule, edit or see their history.',
  },
  {
    usage: 'import',
    example: '/infoview import',
    what: 'Import contacts from LinkedIn (Connections.csv), a Google Contacts or Outlook CSV, or a vCard file; you see a preview first.',
  },
  {
    usage: 'debrief',
    example: '/infoview debrief',
    what: 'Write down what you learned from a recent meeting, or from a conversation you did not schedule.',
  },
  {
    usage: 'questions [category]',
    example: '/infoview questions trends',
    what: 'Browse good questions to ask, add them to a meeting, or save your own.',
  },
  {
    usage: 'settings',
    example: '/infoview settings',
    what: 'Choose which reminders you get, how early, and your quiet hours.',
  },
  {
    usage: 'holidays',
    example: '/infoview holidays',
    what: "See the workspace's holidays, which the 3B7 business days skip (admins can change them).",
  },
  {
    usage: 'share',
    example: '/infoview share',
    what: 'Choose career-centre advisors who may see your progress figures (never your notes or the people you meet), see who looked, or stop.',
  },
  {
    usage: 'centre',
    example: '/infoview centre',
    what: 'Workspace admins and owners: turn the career-centre view on and name its advisors.',
  },
  { usage: 'export', example: '/infoview export', what: 'Get all your data as CSV and JSON files in your DM.' },
  {
    usage: 'delete-my-data',
    example: '/infoview delete-my-data',
    what: 'Delete everything infoview holds about you (asks first).',
  },
  { usage: 'help', example: '/infoview help', what: 'Show this help.' },
];

/** Ephemeral help; `unknown` is the subcommand we did not recognise, echoed back escaped. */
export function buildHelp(unknown?: string): OutgoingMessage {
  const intro = unknown
    ? `I don't know \`${truncate(unknown.replace(/[`&<>]/g, ''), 40)}\`. Here is what I can do:`
    : 'infoview helps you plan, prepare for and follow up on informational interviews.';
  const lines = SUBCOMMAND_HELP.map((c) => `• \`/infoview ${c.usage}\`: ${c.what}\n    e.g. \`${c.example}\``);
  const text = `${intro}\n${lines.join('\n')}`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
