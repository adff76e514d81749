import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/**
 * Escapes user text for mrkdwn: only &, < and > are control characters there (Slack's formatting docs), and
 * escaping them is what stops `<!channel>` or `<https://evil|innocent>` in a contact's name from doing anything.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

/** Escapes user text for mrkdwn and fits it in `max` characters of the escaped result, never splitting an entity. */
export function escapeToFit(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  // The longest prefix (in code points) whose escaped form plus the ellipsis still fits.
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (escapeMrkdwn(chars.slice(0, mid).join('')).length + 1 <= max) low = mid;
    else high = mid - 1;
  }
  return `${escapeMrkdwn(chars.slice(0, low).join(''))}…`;
}

/** A mrkdwn link to a URL the user typed; `|` and `>` in it would end the link early, so they are encoded. */
export function linkTo(url: string, label: string): string {
  const safeUrl = url.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}
