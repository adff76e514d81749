/**
 * Drafts the user copies and sends themselves: composed from their own debrief with fixed templates, so the same
 * debrief always gives the same note. Plain text; whoever shows it in mrkdwn escapes it.
 */

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name.trim();
}

/** The first sentence or line of a text, without its closing punctuation; null for empty text. */
export function firstPoint(text: string | null): string | null {
  if (!text) return null;
  const line = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[•*·-]|\d{1,2}[.)])\s+/u, '').trim())
    .find((l) => l !== '');
  if (!line) return null;
  const sentence = line.split(/(?<=[.!?])\s+/)[0] ?? line;
  return sentence.replace(/[.!?;:,\s]+$/u, '');
}

/** Lower-cases the first letter unless the word looks like a name or acronym (two capitals, or "I"). */
function asClause(text: string): string {
  if (/^(I\b|\p{Lu}{2})/u.test(text)) return text;
  return text.charAt(0).toLocaleLowerCase() + text.slice(1);
}

export interface ThankYouInput {
  contactName: string;
  topics: string | null;
  learned: string | null;
  advice: string | null;
  commitments: string[];
}

/** A short thank-you: by name, one specific thing learned, one thing the user will act on. */
export function composeThankYou(input: ThankYouInput): string {
  const learned = firstPoint(input.learned) ?? firstPoint(input.advice) ?? firstPoint(input.topics);
  const action = input.commitments[0] ? input.commitments[0].replace(/[.!?\s]+$/u, '') : null;
  const paragraphs = [
    `Hi ${firstName(input.contactName)},`,
    `Thank you for taking the time to talk with me.${learned ? ` I especially appreciated what you shared about ${asClause(learned)}.` : ' Hearing about your path was really helpful.'}`,
    ...(action ? [`Following your advice, I'm going to ${asClause(action)}. I'll let you know how it goes.`] : []),
    'Thank you again for your time and generosity.',
    'Best regards,',
  ];
  return paragraphs.join('\n\n');
}

/** The report-back: what they suggested that the user did, each followed by a gap for what came of it. */
export function composeReportBack(contactName: string, done: string[]): string {
  const lines = done.map((item) => `• You suggested I ${asClause(item.replace(/[.!?\s]+$/u, ''))}: I did, and …`);
  return [
    `Hi ${firstName(contactName)},`,
    'I wanted to follow up on our conversation and let you know what I did with your advice.',
    ...(lines.length > 0 ? [lines.join('\n')] : []),
    'Thank you again: it made a real difference.',
    'Best regards,',
  ].join('\n\n');
}
