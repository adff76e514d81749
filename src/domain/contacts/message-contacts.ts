import { DateTime } from 'luxon';
import { z } from 'zod';
import { CONTACT_LIMITS, isSlackUserId } from './contact-rules.js';

/** Someone a Slack message points at, offered as a further contact to log (any field may be empty but not all). */
export interface MessagePerson {
  /** A workspace user the message mentions (`<@U…>`); '' for anyone else. */
  slackUserId: string;
  name: string;
  email: string;
  profileUrl: string;
}

/** Where a contact form opened from a message came from: what its *How you met* says, and who is still to offer. */
export interface MessageSource {
  /** The author's name once known ('' before, or for an app). */
  author: string;
  /** The day the message was posted, as the user reads it ("Wed 25 Nov 2026"). */
  day: string;
  /** A link to the message, or null where Slack gave none. */
  link: string | null;
  /** The people the message names, not yet offered or logged. */
  people: MessagePerson[];
  /** The contact they are saved as referred by (the author, once a contact of the user's); null for none. */
  referrerId: number | null;
  /** True for the author's own form: once saved, the author refers the people. */
  isAuthor: boolean;
}

/** At most this many people are offered from one message (a message listing dozens is not an introduction). */
export const MAX_MESSAGE_PEOPLE = 5;
/** What the offers may take of a view's private_metadata (3000 characters in all). */
const PEOPLE_BUDGET = 1600;
/** Long messages are read this far: Slack truncates message text at 40,000 characters. */
const MAX_TEXT = 40_000;

const personSchema = z.object({
  slackUserId: z.string().refine((id) => id === '' || isSlackUserId(id)),
  name: z.string().max(CONTACT_LIMITS.name),
  email: z.string().max(CONTACT_LIMITS.email),
  profileUrl: z.string().max(CONTACT_LIMITS.profileUrl),
});

/** The shape a MessageSource is kept in (a view's private_metadata): read back untrusted. */
export const messageSourceSchema = z.object({
  author: z.string().max(CONTACT_LIMITS.name),
  day: z.string().max(40),
  link: z.string().max(400).nullable(),
  people: z.array(personSchema).max(MAX_MESSAGE_PEOPLE),
  referrerId: z.number().int().positive().nullable(),
  isAuthor: z.boolean(),
});

/** Slack's three mrkdwn escapes, undone (message text arrives with &, < and > escaped). */
function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const PROFILE_HOSTS: { host: RegExp; path: RegExp }[] = [
  { host: /(^|\.)linkedin\.com$/i, path: /^\/(in|pub)\/[^/]+\/?$/i },
  { host: /^(www\.)?github\.com$/i, path: /^\/[A-Za-z0-9-]+\/?$/ },
  { host: /^(www\.|mobile\.)?(twitter|x)\.com$/i, path: /^\/[A-Za-z0-9_]+\/?$/ },
];

/** True for a link to one person's profile (LinkedIn, GitHub, X), not any web page. Pure. */
export function isProfileLink(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  return PROFILE_HOSTS.some(({ host, path }) => host.test(url.hostname) && path.test(url.pathname));
}

const EMAIL = /^[^\s@<>|]+@[^\s@<>|]+\.[^\s@<>|]+$/;
const PLAIN_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const NAME_WORD = /^\p{Lu}[\p{L}'’.-]*$/u;

/**
 * Up to three capitalised words at the end of `text` ("talk to Grace Hopper (" -> "Grace Hopper"). One word alone at
 * the start of a sentence ("Email: …") is not taken for a name.
 */
function nameBefore(text: string): string {
  const words = text
    .replace(/[\s(:,–—-]+$/u, '')
    .split(/\s+/)
    .slice(-4);
  const name: string[] = [];
  let i = words.length - 1;
  for (; i >= 0 && name.length < 3; i--) {
    const word = words[i] ?? '';
    if (!NAME_WORD.test(word)) break;
    name.unshift(word);
  }
  const before = i >= 0 ? (words[i] ?? '') : '';
  if (name.length === 1 && (before === '' || /[.!?:]$/.test(before))) return '';
  return name.join(' ');
}

/** A link label that names someone: not the address itself, no markup, a sensible length. */
function nameFromLabel(label: string, target: string): string {
  const text = label.trim();
  if (text === '' || text === target || text.includes('@') || /:\/\//.test(text) || /^www\./i.test(text)) return '';
  return [...text].length <= CONTACT_LIMITS.name ? text : '';
}

/**
 * The people a Slack message names: users it mentions (`<@U…>`), and people given with an email (a `mailto:` link or
 * a plain address) or a profile link (LinkedIn, GitHub, X), with the name their link shows or the capitalised words
 * just before it. `exclude` holds Slack ids never offered (the author, the user). The same person given twice (one
 * name with an email and a link) is one. At most MAX_MESSAGE_PEOPLE, within what a view can carry. Pure; never throws.
 */
export function peopleInMessage(rawText: string, exclude: readonly string[]): MessagePerson[] {
  const text = rawText.slice(0, MAX_TEXT);
  const found: MessagePerson[] = [];
  let plain = '';
  let last = 0;
  const add = (given: MessagePerson) => {
    // A run of capitals can be longer than a name may be: cut to the form's limit, as the view must carry it.
    const person = { ...given, name: [...given.name].slice(0, CONTACT_LIMITS.name).join('') };
    const same = found.find(
      (p) =>
        (person.slackUserId !== '' && p.slackUserId === person.slackUserId) ||
        (person.email !== '' && p.email.toLowerCase() === person.email.toLowerCase()) ||
        (person.profileUrl !== '' && p.profileUrl === person.profileUrl) ||
        (person.name !== '' && p.slackUserId === '' && p.name.toLowerCase() === person.name.toLowerCase()),
    );
    if (same === undefined) {
      found.push(person);
      return;
    }
    same.name ||= person.name;
    same.email ||= person.email;
    same.profileUrl ||= person.profileUrl;
  };
  const plainEmails = (segment: string, before: string) => {
    for (const match of segment.matchAll(PLAIN_EMAIL)) {
      const name = nameBefore(before + segment.slice(0, match.index));
      add({ slackUserId: '', name, email: match[0], profileUrl: '' });
    }
  };
  for (const token of text.matchAll(/<([^<>]{1,1000})>/g)) {
    const between = unescapeMrkdwn(text.slice(last, token.index));
    plainEmails(between, plain);
    plain += between;
    last = token.index + token[0].length;
    const [target = '', label = ''] = (token[1] ?? '').split('|', 2).map((part) => unescapeMrkdwn(part));
    if (/^@[UW][A-Z0-9]{2,20}$/.test(target)) {
      const id = target.slice(1);
      if (!exclude.includes(id)) add({ slackUserId: id, name: '', email: '', profileUrl: '' });
      plain += label || 'someone';
      continue;
    }
    if (/^mailto:/i.test(target)) {
      const email = target.slice('mailto:'.length).split('?')[0] ?? '';
      if (EMAIL.test(email) && email.length <= CONTACT_LIMITS.email) {
        add({ slackUserId: '', name: nameFromLabel(label, email) || nameBefore(plain), email, profileUrl: '' });
      }
      plain += label || email;
      continue;
    }
    if (/^https?:\/\//i.test(target) && isProfileLink(target) && target.length <= 300) {
      add({ slackUserId: '', name: nameFromLabel(label, target) || nameBefore(plain), email: '', profileUrl: target });
    }
    plain += label || (target.startsWith('#') || target.startsWith('!') ? '' : target);
  }
  plainEmails(unescapeMrkdwn(text.slice(last)), plain);
  return withinBudget(found);
}

function withinBudget(people: MessagePerson[]): MessagePerson[] {
  const kept: MessagePerson[] = [];
  let used = 0;
  for (const person of people) {
    const size = JSON.stringify(person).length;
    if (kept.length >= MAX_MESSAGE_PEOPLE || used + size > PEOPLE_BUDGET) break;
    kept.push(person);
    used += size;
  }
  return kept;
}

/**
 * The link to a message, built from the payload where Slack gives the workspace's domain (outside Enterprise Grid,
 * whose addresses differ): `https://<domain>.slack.com/archives/<channel>/p<ts without the dot>`, with the thread for a
 * reply, as chat.getPermalink answers. Null when any part is missing or not of Slack's shape. Pure.
 */
export function messageLink(parts: {
  domain: string | undefined;
  channelId: string;
  ts: string;
  threadTs?: string | undefined;
}): string | null {
  const { domain, channelId, ts, threadTs } = parts;
  if (!domain || !/^[a-z0-9][a-z0-9-]{0,62}$/i.test(domain)) return null;
  if (!/^[CDG][A-Z0-9]{2,30}$/.test(channelId) || !/^\d{1,12}\.\d{1,8}$/.test(ts)) return null;
  const base = `https://${domain.toLowerCase()}.slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
  if (threadTs && threadTs !== ts && /^\d{1,12}\.\d{1,8}$/.test(threadTs)) {
    return `${base}?thread_ts=${threadTs}&cid=${channelId}`;
  }
  return base;
}

/** The day a message was posted (its `ts`, seconds since the epoch) in `zone`: "Wed 25 Nov 2026"; '' if unreadable. */
export function messageDay(ts: string, zone: string): string {
  const seconds = Number(ts);
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  return DateTime.fromMillis(Math.floor(seconds * 1000), { zone }).toFormat('ccc d LLL yyyy');
}

/**
 * *How you met* for a contact logged from a message: "Slack message from Hanna Berg on Wed 25 Nov 2026: <link>", or
 * "Mentioned in a Slack message from …" for someone the message names. Within the field's limit (the link is left
 * out rather than cut). Pure.
 */
export function howMetFromMessage(source: Pick<MessageSource, 'author' | 'day' | 'link'>, mentioned: boolean): string {
  const from = source.author === '' ? '' : ` from ${[...source.author].slice(0, CONTACT_LIMITS.name).join('')}`;
  const on = source.day === '' ? '' : ` on ${source.day}`;
  const text = `${mentioned ? 'Mentioned in a Slack message' : 'Slack message'}${from}${on}`;
  const withLink = source.link === null ? text : `${text}: ${source.link}`;
  return [...withLink].length <= CONTACT_LIMITS.howMet ? withLink : text;
}

/** How a person is shown in a list: their name, else their email or link ('' for a mention, shown by Slack). Pure. */
export function personLabel(person: MessagePerson): string {
  return person.name || person.email || person.profileUrl;
}
