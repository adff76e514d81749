/**
 * Slack's date formatting in mrkdwn, as tests read and check it: `<!date^SECONDS^TOKENS^OPTIONAL_LINK|FALLBACK>`
 * (docs.slack.dev "Formatting text for app surfaces", dates; the token list as @slack/types documents it for the rich
 * text date element, which shares mrkdwn's tokens). Pure and dependency-free.
 */

/** Every token Slack documents; anything else in braces would show as typed. */
export const SLACK_DATE_TOKENS: ReadonlySet<string> = new Set([
  'date_num',
  'date',
  'date_short',
  'date_long',
  'date_long_full',
  'date_pretty',
  'date_short_pretty',
  'date_long_pretty',
  'date_slash',
  'day_divider_pretty',
  'time',
  'time_secs',
  'ago',
]);

/** One well-formed date token as it stands in a text. */
export interface SlackDateToken {
  /** The whole token, from `<!date` to `>`. */
  raw: string;
  seconds: number;
  /** The token string, e.g. "{date_short_pretty} at {time}". */
  tokens: string;
  link: string | null;
  /** The fallback as written (mrkdwn-escaped). */
  fallback: string;
}

const OPENING = '<!date';

/** Every `<!date…>` token in `text`, in order, each either parsed or the reason it is malformed. */
function scan(text: string): ({ token: SlackDateToken } | { problem: string })[] {
  const found: ({ token: SlackDateToken } | { problem: string })[] = [];
  let from = text.indexOf(OPENING);
  while (from >= 0) {
    const close = text.indexOf('>', from);
    if (close < 0) {
      found.push({ problem: `date token at ${from} is not closed with ">"` });
      break;
    }
    const raw = text.slice(from, close + 1);
    found.push(parse(raw));
    from = text.indexOf(OPENING, close + 1);
  }
  return found;
}

function parse(raw: string): { token: SlackDateToken } | { problem: string } {
  const inner = raw.slice(OPENING.length, -1);
  const bad = (why: string) => ({ problem: `date token ${short(raw)} ${why}` });
  const bar = inner.indexOf('|');
  if (bar < 0) return bad('has no fallback ("|fallback" before ">")');
  const head = inner.slice(0, bar);
  const fallback = inner.slice(bar + 1);
  if (fallback.trim() === '') return bad('has an empty fallback');
  if (fallback.includes('|')) return bad('has a "|" in its fallback');
  if (fallback.includes('<')) return bad('has an unescaped "<" in its fallback');
  const parts = head.split('^');
  if (parts[0] !== '' || parts.length < 3 || parts.length > 4)
    return bad('is not "<!date^seconds^tokens[^link]|fallback>"');
  const [, secondsText = '', tokens = '', link] = parts;
  if (!/^\d{1,12}$/.test(secondsText)) return bad(`has seconds ${JSON.stringify(secondsText)}, not a whole number`);
  const names = [...tokens.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
  if (names.length === 0) return bad('has no {token} in its token string');
  const unknown = names.filter((name) => !SLACK_DATE_TOKENS.has(name));
  if (unknown.length > 0) return bad(`has unknown token(s) ${unknown.map((name) => `{${name}}`).join(', ')}`);
  if (/[{}]/.test(tokens.replace(/\{[^{}]*\}/g, ''))) return bad('has a stray brace in its token string');
  if (link !== undefined && !/^https?:\/\/\S+$/i.test(link)) return bad(`has a link that is not a URL: ${short(link)}`);
  return { token: { raw, seconds: Number(secondsText), tokens, link: link ?? null, fallback } };
}

function short(text: string): string {
  return text.length > 60 ? `${JSON.stringify(text.slice(0, 57))}...` : JSON.stringify(text);
}

/** Why each malformed date token in `text` is malformed; empty when every one is well formed (or there is none). */
export function dateTokenProblems(text: string): string[] {
  return scan(text).flatMap((entry) => ('problem' in entry ? [entry.problem] : []));
}

/** The date tokens in `text`, in order; throws on a malformed one, so a test reading them also checks them. */
export function dateTokensIn(text: string): SlackDateToken[] {
  return scan(text).map((entry) => {
    if ('problem' in entry) throw new Error(entry.problem);
    return entry.token;
  });
}

/** The one date token in `text`; a clear failure when there is none or several. */
export function onlyDateToken(text: string): SlackDateToken {
  const tokens = dateTokensIn(text);
  if (tokens.length !== 1) throw new Error(`expected one date token, found ${tokens.length} in ${short(text)}`);
  return tokens[0] as SlackDateToken;
}

/** `text` as a reader whose client cannot format dates sees it: each token replaced by its fallback. */
export function withDateFallbacks(text: string): string {
  let out = text;
  for (const token of dateTokensIn(text)) out = out.replace(token.raw, token.fallback);
  return out;
}

/**
 * The date-token problems anywhere in a payload the fake Slack received: in mrkdwn text objects (malformed tokens),
 * in plain_text objects (any token: Slack shows it as typed there) and in a message's own `text`. Paths are
 * JSON-pointer-like.
 */
export function dateTokenProblemsIn(payload: unknown, path = ''): string[] {
  if (typeof payload === 'string') {
    return path === '/text' ? dateTokenProblems(payload).map((problem) => `${path}: ${problem}`) : [];
  }
  if (Array.isArray(payload)) return payload.flatMap((item, index) => dateTokenProblemsIn(item, `${path}/${index}`));
  if (typeof payload !== 'object' || payload === null) return [];
  const record = payload as Record<string, unknown>;
  if ((record.type === 'mrkdwn' || record.type === 'plain_text') && typeof record.text === 'string') {
    if (record.type === 'mrkdwn') return dateTokenProblems(record.text).map((problem) => `${path}/text: ${problem}`);
    return record.text.includes(OPENING)
      ? [`${path}/text: a date token in plain_text shows as typed; dates are formatted in mrkdwn only`]
      : [];
  }
  return Object.entries(record).flatMap(([key, value]) => dateTokenProblemsIn(value, `${path}/${key}`));
}

/** The token strings infoview writes, as tests expect them (written out here, not imported from src). */
export const DAY_AND_TIME = '{date_short_pretty} at {time}';
export const CLOCK_TIME = '{time}';
export const DAY = '{date_long_pretty}';

/** The date token a test expects for the instant `iso`, e.g. `dateToken('2026-11-03T20:00:00Z', DAY_AND_TIME, '…')`. */
export function dateToken(iso: string, tokens: string, fallback: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${iso}`);
  return `<!date^${Math.floor(ms / 1000)}^${tokens}|${fallback}>`;
}

/** A meeting's time as infoview writes it in mrkdwn: its start and end tokens, in the reader's own clock. */
export function meetingWhenTokens(
  start: { iso: string; fallback: string },
  end: { iso: string; fallback: string },
): string {
  return `${dateToken(start.iso, DAY_AND_TIME, start.fallback)}–${dateToken(end.iso, CLOCK_TIME, end.fallback)}`;
}
