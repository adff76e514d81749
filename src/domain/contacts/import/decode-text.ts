/**
 * The text of an uploaded file, or one sentence saying why it has none. UTF-8 (with or without its BOM) and UTF-16
 * with a BOM (what Excel's "Unicode text" and some Outlook exports write) are read; anything else (Latin-1,
 * Windows-1252, UTF-16 without a BOM) is refused rather than guessed, since a wrong guess would store mangled names.
 * Pure; never throws.
 */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: string } {
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    return { ok: false, problem: 'That file is empty.' };
  }
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff)
      text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return {
      ok: false,
      problem:
        'That file is not UTF-8 text (it may be saved as Latin-1 or Windows-1252): save it again as "CSV UTF-8" or UTF-8 vCard and import that.',
    };
  }
  // Text files hold no NUL or other control characters besides tab and line ends: this is a spreadsheet, an image…
  if (hasControlCharacters(text.slice(0, 65_536))) {
    return {
      ok: false,
      problem: 'That file is not a text file (an Excel workbook or an image?): export your contacts as CSV or vCard.',
    };
  }
  if (text.trim() === '') return { ok: false, problem: 'That file is empty.' };
  return { ok: true, text };
}

/** NUL and the other C0 controls that text never holds (tab, line feed, vertical tab, form feed and CR aside). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && (code < 0x09 || code > 0x0d)) return true;
  }
  return false;
}
