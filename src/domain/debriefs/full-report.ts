import { DateTime } from 'luxon';
import type { StoredDebrief } from '../types.js';
import { INTEREST_CHOICES, parseReferralLines } from './debrief-rules.js';

/** What the full report is written from: the meeting as the user saw it and the debrief's outline. */
export interface FullReportInput {
  contact: { name: string; title: string | null; company: string | null };
  startsAt: Date;
  /** The user's IANA zone: the date in the title is the day it was for them. */
  zone: string;
  debrief: Omit<StoredDebrief, 'meetingId'>;
  /** The things the user said they would do, as ticked so far. */
  commitments: { text: string; done: boolean }[];
}

export interface FullReport {
  /** "Ada Lovelace · Thu 3 Dec 2026": the canvas title, and the Markdown file's name and first heading. */
  title: string;
  /** Canvas Markdown (what `document_content` takes): a heading per part of the outline, each to expand. */
  markdown: string;
}

const TITLE_NAME_MAX = 120;

/** Each part of the outline: its heading, and the question that helps the user expand it. */
const PROMPTS = {
  topics: 'Which of these surprised you, and why?',
  learned: 'What does this change in how you picture the work?',
  advice: 'Which piece will you act on first, and by when?',
  referrals: 'Why each of them, and what would you ask them?',
  commitments: 'Give each a date, and tick it off when it is done.',
  interest: 'What moved it, and what would you need to find out next?',
  notes: 'Anything else worth keeping: how it felt, what you would do differently next time.',
} as const;

/** A list marker the user typed ("- ", "• ", "1. "): the report makes its own bullets. */
const TYPED_BULLET = /^\s*(?:[•*·▪◦‣-]|\d{1,2}[.)])\s+/u;

/**
 * User text as inert Markdown inline text. The characters that make emphasis, code, links, images, HTML, tables,
 * strikethrough or entities are backslash-escaped (CommonMark lets any ASCII punctuation be escaped), and so is
 * whatever would start a heading, a list, a quote or a numbered item at the start; so a line cannot change the
 * report's structure. A mention (`<@U…>`, `<!here>`, `<#C…>`, a canvas `![](@U…)` or `![](#C…)`) also gets a
 * zero-width space after its opening, so it stays text even for a reader that ignores escapes: nobody is pinged. Pure.
 */
export function escapeReportText(text: string): string {
  const oneLine = text
    .replace(/[\r\n\t]+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  const inline = oneLine.replace(/[\\`*_[\]<>|~&]/g, (char) => `\\${char}`);
  const start = inline.replace(/^([#+=-])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
  return start.replace(/([<(])(?=[@!#])/g, '$1\u200b');
}

/** The user's lines of one part, without empty lines or the list markers they typed. */
function linesOf(text: string | null): string[] {
  if (text === null) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(TYPED_BULLET, '').trim())
    .filter((line) => line !== '');
}

function section(heading: string, body: string[], prompt: string): string {
  const lines = [`## ${heading}`, ''];
  if (body.length === 0) lines.push(`_Nothing written yet. ${prompt}_`);
  else lines.push(...body, '', `_${prompt}_`);
  return lines.join('\n');
}

const bullets = (lines: string[]) => lines.map((line) => `- ${escapeReportText(line)}`);

function referralLines(text: string | null): string[] {
  if (text === null) return [];
  const parsed = parseReferralLines(text);
  // Saved debriefs were validated; a line that no longer parses is kept as typed rather than lost.
  if (!parsed.ok) return bullets(linesOf(text));
  return parsed.items.map((person) => {
    const role = [person.title, person.company].filter((part): part is string => part !== null).join(', ');
    return `- **${escapeReportText(person.name)}**${role ? ` — ${escapeReportText(role)}` : ''}`;
  });
}

/** "Thu 3 Dec 2026" in `zone`. */
function dayOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('ccc d LLL yyyy');
}

/** The report's title: the contact's name on one line, cut to a sensible length, and the day. */
export function fullReportTitle(contactName: string, startsAt: Date, zone: string): string {
  const name = contactName.replace(/\s+/g, ' ').trim();
  const chars = [...name];
  const short = chars.length > TITLE_NAME_MAX ? `${chars.slice(0, TITLE_NAME_MAX - 1).join('')}…` : name;
  return `${short} · ${dayOf(startsAt, zone)}`;
}

/**
 * The full report of a debrief, pre-filled from its outline: who and when, then topics, what I learned, advice,
 * people suggested, the things I said I would do (a checklist, ticked as the advice items are), how my interest
 * changed and my notes, each a heading with the user's lines as bullets and a short prompt to expand it. An empty
 * part still gets its heading and prompt. Pure.
 */
export function buildFullReport(input: FullReportInput): FullReport {
  const { contact, debrief } = input;
  const role = [contact.title, contact.company]
    .filter((part): part is string => part !== null && part !== '')
    .join(', ');
  const when = DateTime.fromJSDate(input.startsAt, { zone: input.zone }).toFormat('ccc d LLL yyyy, HH:mm');
  const interest = INTEREST_CHOICES.find((choice) => choice.value === debrief.interestChange);
  const parts = [
    `Informational interview with **${escapeReportText(contact.name)}**${role ? `, ${escapeReportText(role)}` : ''}, on ${when} (${input.zone}).`,
    section('Topics covered', bullets(linesOf(debrief.topics)), PROMPTS.topics),
    section('What I learned', bullets(linesOf(debrief.learned)), PROMPTS.learned),
    section('Advice I received', bullets(linesOf(debrief.advice)), PROMPTS.advice),
    section('People they suggested', referralLines(debrief.referrals), PROMPTS.referrals),
    section(
      'Things I said I would do',
      input.commitments.map((item) => `- [${item.done ? 'x' : ' '}] ${escapeReportText(item.text)}`),
      PROMPTS.commitments,
    ),
    section('How my interest changed', interest ? [`- ${interest.label}`] : [], PROMPTS.interest),
    section('My notes', bullets(linesOf(debrief.notes)), PROMPTS.notes),
  ];
  return { title: fullReportTitle(contact.name, input.startsAt, input.zone), markdown: `${parts.join('\n\n')}\n` };
}

/** The same report as a Markdown file, where no canvas can be made: the title becomes its first heading. */
export function fullReportFile(report: FullReport): { filename: string; content: string } {
  // Characters no file system takes in a name, and control characters, become "-".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what this replaces
  const base = report.title.replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '-').trim() || 'Full report';
  return { filename: `${base}.md`, content: `# ${escapeReportText(report.title)}\n\n${report.markdown}` };
}

/** Where a full report went: a canvas, or a Markdown file in the DM; `url` is its permalink when Slack gave one. */
export type PublishedReport =
  | { format: 'canvas'; canvasId: string; url: string | null }
  | { format: 'markdown'; fileId: string | null; url: string | null };

/** A full report as recorded on its debrief. */
export interface StoredFullReport {
  format: 'canvas' | 'markdown';
  canvasId: string | null;
  fileId: string | null;
  url: string | null;
  createdAt: Date;
}
