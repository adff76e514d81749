import { FORMAT_LABELS } from '../../../domain/contacts/import/import-file.js';
import type { ImportSummary } from '../../../domain/contacts/import/import-service.js';
import { countLines } from '../modals/import-modal.js';
import { escapeMrkdwn, mrkdwn, plain } from '../text.js';
import type { OutgoingMessage } from './meeting-messages.js';

/** A contacts file shared in the app's DM: the preview's button imports it. */
export const IMPORT_ACTIONS = { importShared: 'import_shared_file' } as const;

/** The preview of a file shared in the DM, with a button carrying the file's id and digest (nothing else is kept). */
export function buildSharedFilePreview(
  summary: ImportSummary,
  file: { fileId: string; digest: string },
): OutgoingMessage {
  const changes = summary.created + summary.filled;
  const unreadable = summary.unreadable.length > 0 ? `\nFirst unreadable line: ${summary.unreadable[0]?.line}.` : '';
  const text = `That looks like a ${FORMAT_LABELS[summary.format]} file. Importing it would make:\n${countLines(summary, false)}${unreadable}`;
  if (changes === 0) return { text, blocks: [{ type: 'section', text: mrkdwn(`${text}\nNothing new to import.`) }] };
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      {
        type: 'actions',
        block_id: 'import_shared_file',
        elements: [
          {
            type: 'button',
            action_id: IMPORT_ACTIONS.importShared,
            style: 'primary',
            text: plain('Import'),
            value: JSON.stringify({ f: file.fileId, d: file.digest }),
          },
        ],
      },
      {
        type: 'context',
        elements: [
          mrkdwn(
            'New contacts get no keep-in-touch reminders. Use `/infoview import` to choose a cadence or see every unreadable line.',
          ),
        ],
      },
    ],
  };
}

/** One sentence about a file that cannot be imported (no user text in it but the sentence). */
export function buildSharedFileProblem(problem: string): OutgoingMessage {
  return { text: problem, blocks: [{ type: 'section', text: mrkdwn(`:warning: ${escapeMrkdwn(problem)}`) }] };
}

export function buildSharedFileDone(summary: ImportSummary): OutgoingMessage {
  const text = `Imported from your ${FORMAT_LABELS[summary.format]} file:\n${countLines(summary, true)}`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** The button's file id and digest; null for anything this app did not make. */
export function parseSharedFileValue(value: string | undefined): { fileId: string; digest: string } | null {
  try {
    const parsed = JSON.parse(value ?? '') as { f?: unknown; d?: unknown };
    if (typeof parsed.f !== 'string' || !/^F[A-Z0-9]{2,30}$/.test(parsed.f)) return null;
    if (typeof parsed.d !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.d)) return null;
    return { fileId: parsed.f, digest: parsed.d };
  } catch {
    return null;
  }
}
