const SCHEME_AND_SLASHES = /^[a-z][a-z0-9+.-]*:\/\//i;
const MALFORMED = 'That link looks malformed. Paste the full address, e.g. https://zoom.us/j/123456789.';

/** "www.example.com/x" -> "https://www.example.com/x"; anything else is returned as typed. */
export function withScheme(text: string): string {
  return /^www\./i.test(text) && !/\s/.test(text) ? `https://${text}` : text;
}

/** True when the text is meant as a link (it has a scheme, or starts with www.). */
export function looksLikeLink(text: string): boolean {
  return SCHEME_AND_SLASHES.test(withScheme(text)) || /^https?:/i.test(text);
}

/**
 * Why a link would not open, or undefined when it is a good http(s) link with a real host name. Catches typos
 * such as "htps://zoom.us" or "https://zoom" before a reminder carries them.
 */
export function webLinkProblem(text: string): string | undefined {
  const candidate = withScheme(text);
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return MALFORMED;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Links must start with https:// (or http://).';
  if (!/^[^.\s]+(\.[^.\s]+)+$/.test(url.hostname) || /\s/.test(candidate)) return MALFORMED;
  return undefined;
}

/** True when the text is an http(s) link, so messages can show it as one. */
export function isWebLink(text: string): boolean {
  return /^https?:\/\//i.test(text);
}
