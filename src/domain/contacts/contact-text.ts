import type { ContactProfile } from '../types.js';

/**
 * Folds text for matching: Unicode-normalised, accents removed, lower-cased, spaces collapsed, so "José" finds
 * "jose" and "ÅSA" finds "Åsa". Scripts without case or accents pass through unchanged.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('en')
    .replace(/[łøæœßđħıþ]/g, (letter) => UNDECOMPOSED[letter] ?? letter)
    .replace(/\s+/g, ' ')
    .trim();
}

// Letters that carry their accent in the letter itself, so NFKD leaves them whole.
const UNDECOMPOSED: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  þ: 'th',
};

/** "Ada Lovelace" at "Engines Ltd." and "ada  lovelace" at "engines ltd" share a key: probably one person. */
export function contactNameKey(name: string, company: string | null): string {
  const strip = (text: string) =>
    foldForSearch(text)
      .replace(/[^\p{L}\p{N} ]+/gu, '')
      .replace(/\s+/g, ' ')
      .trim();
  return `${strip(name)}|${strip(company ?? '')}`;
}

/** What a search matches against: name, pronunciation, title, company and tags, folded. */
export function contactSearchText(
  profile: Pick<ContactProfile, 'name' | 'pronunciation' | 'title' | 'company' | 'tags'>,
): string {
  return foldForSearch(
    [profile.name, profile.pronunciation, profile.title, profile.company, profile.tags.join(' ')]
      .filter(Boolean)
      .join(' '),
  );
}

/** "design, UX ,, research" -> ["design", "UX", "research"]: trimmed, empty and repeated tags dropped. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(/[,#\n]/)) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    const key = foldForSearch(tag);
    if (tag === '' || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** The user's search words, folded; a contact matches when its search text contains every one. */
export function searchTerms(query: string): string[] {
  return foldForSearch(query)
    .split(' ')
    .filter((term) => term !== '');
}
