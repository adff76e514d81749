import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { FORMAT_LABELS } from '../../../domain/contacts/import/import-file.js';
import type { ImportSummary } from '../../../domain/contacts/import/import-service.js';
import { KEEP_IN_TOUCH_CHOICES } from '../../../domain/reminders/reminder-plan.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain } from '../text.js';

/** The contact import: a form with the file, a preview to confirm, and what was imported. */
export const IMPORT_MODAL = {
  uploadCallbackId: 'contact_import_upload',
  confirmCallbackId: 'contact_import_confirm',
  blocks: { file: 'import_file', cadence: 'import_cadence' },
  actions: { file: 'import_file_input', cadence: 'import_cadence_select' },
} as const;

/** Unreadable rows listed one by one in the preview; the rest are counted (a section holds 3,000 characters). */
export const UNREADABLE_SHOWN = 20;

const title = plain('Import contacts');
const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

/** The form: one CSV or vCard file; `problem` (one sentence about the last file) on top. */
export function buildImportUploadModal(problem?: string): ModalView {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: 'section', text: mrkdwn(`:warning: ${escapeMrkdwn(problem)}`) });
  blocks.push(
    {
      type: 'input',
      block_id: IMPORT_MODAL.blocks.file,
      label: plain('Contacts file'),
      element: { type: 'file_input', action_id: IMPORT_MODAL.actions.file, filetypes: ['csv', 'vcf'], max_files: 1 },
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          "LinkedIn's Connections.csv, a Google Contacts or Outlook CSV, or a vCard (.vcf) file; up to 10,000 people and 5 MB. You will see what changes before anything is imported.",
        ),
      ],
    },
  );
  return {
    type: 'modal',
    callback_id: IMPORT_MODAL.uploadCallbackId,
    title,
    submit: plain('Preview'),
    close: plain('Cancel'),
    blocks,
  };
}

/** While the file is read or imported (the submission was acked with this view). */
export function buildImportWorkingView(text: string): ModalView {
  return { type: 'modal', title, close: plain('Close'), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

function cadenceOption(days: number): PlainTextOption {
  return {
    text: plain(days === 0 ? 'No keep-in-touch reminders' : `Keep in touch every ${days} days`),
    value: String(days),
  };
}

/** What an import does (or did, when `done`): one bullet per kind of row, as mrkdwn. */
export function countLines(summary: ImportSummary, done: boolean): string {
  const lines = [
    `*${plural(summary.created, 'new contact')}* ${done ? 'added' : 'to add'}`,
    summary.filled > 0
      ? `*${plural(summary.filled, 'contact')}* you have ${done ? 'got' : 'will get'} empty fields filled in`
      : '',
    summary.unchanged > 0 ? `${plural(summary.unchanged, 'contact')} you already have, skipped` : '',
    summary.repeated > 0 ? `${plural(summary.repeated, 'row')} repeating someone earlier in the file, skipped` : '',
    summary.unreadable.length > 0 ? `${plural(summary.unreadable.length, 'row')} that could not be read` : '',
  ];
  return lines
    .filter((line) => line !== '')
    .map((line) => `• ${line}`)
    .join('\n');
}

function unreadableBlocks(summary: ImportSummary): KnownBlock[] {
  if (summary.unreadable.length === 0) return [];
  const shown = summary.unreadable.slice(0, UNREADABLE_SHOWN).map((row) => `• Line ${row.line}: ${row.why}`);
  const rest = summary.unreadable.length - shown.length;
  const text = `*Not imported:*\n${shown.join('\n')}${rest > 0 ? `\n…and ${plural(rest, 'more row')}` : ''}`;
  return [{ type: 'section', text: mrkdwn(escapeToFit(text, 3000)) }];
}

/** The preview: what importing the file would do, and the keep-in-touch choice; confirming imports it. */
export function buildImportPreviewView(
  summary: ImportSummary,
  metadata: { fileId: string; digest: string },
): ModalView {
  const changes = summary.created + summary.filled;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `Read as *${FORMAT_LABELS[summary.format]}*. Importing it would make:\n${countLines(summary, false)}`,
      ),
    },
  ];
  if (summary.sample.length > 0) {
    const names = summary.sample.map((name) => escapeToFit(name, 100)).join(', ');
    const more = summary.created > summary.sample.length ? '…' : '';
    blocks.push({ type: 'context', elements: [mrkdwn(`New: ${names}${more}`)] });
  }
  blocks.push(...unreadableBlocks(summary));
  if (changes === 0) {
    blocks.push({ type: 'section', text: mrkdwn('Nothing new to import: you already have everyone in this file.') });
    return { type: 'modal', title, close: plain('Close'), blocks };
  }
  if (summary.created > 0) {
    blocks.push({
      type: 'input',
      block_id: IMPORT_MODAL.blocks.cadence,
      label: plain('Keep in touch with the new contacts'),
      hint: plain('Reminders count from the first meeting or touch you log with each person.'),
      element: {
        type: 'static_select',
        action_id: IMPORT_MODAL.actions.cadence,
        options: KEEP_IN_TOUCH_CHOICES.map(cadenceOption),
        initial_option: cadenceOption(0),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: IMPORT_MODAL.confirmCallbackId,
    title,
    submit: plain(changes === summary.created ? `Import ${changes.toLocaleString('en')}` : 'Import'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ f: metadata.fileId, d: metadata.digest }),
    blocks,
  };
}

/** After the import: what it did. */
export function buildImportDoneView(summary: ImportSummary): ModalView {
  return {
    type: 'modal',
    title,
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`Imported from your ${FORMAT_LABELS[summary.format]} file:\n${countLines(summary, true)}`),
      },
      ...unreadableBlocks(summary),
    ],
  };
}

const FILE_ID = /^F[A-Z0-9]{2,30}$/;

const uploadSchema = z.object({
  state: z.object({
    values: z.record(
      z.string(),
      z.record(z.string(), z.object({ files: z.array(z.object({ id: z.string() })).optional() }).loose()),
    ),
  }),
});

/** The id of the file chosen in the form; null when none (or the payload is not the form's). */
export function parseImportUpload(view: unknown): string | null {
  const parsed = uploadSchema.safeParse(view);
  if (!parsed.success) return null;
  const id = parsed.data.state.values[IMPORT_MODAL.blocks.file]?.[IMPORT_MODAL.actions.file]?.files?.[0]?.id;
  return id !== undefined && FILE_ID.test(id) ? id : null;
}

const confirmSchema = z.object({
  private_metadata: z.string(),
  state: z.object({
    values: z.record(
      z.string(),
      z.record(z.string(), z.object({ selected_option: z.object({ value: z.string() }).nullish() }).loose()),
    ),
  }),
});

/** The previewed file, its digest and the cadence chosen; null when the view is not a preview this app made. */
export function parseImportConfirm(view: unknown): { fileId: string; digest: string; cadenceDays: number } | null {
  const parsed = confirmSchema.safeParse(view);
  if (!parsed.success) return null;
  let metadata: { f?: unknown; d?: unknown };
  try {
    metadata = JSON.parse(parsed.data.private_metadata) as { f?: unknown; d?: unknown };
  } catch {
    return null;
  }
  if (typeof metadata.f !== 'string' || !FILE_ID.test(metadata.f)) return null;
  if (typeof metadata.d !== 'string' || !/^[0-9a-f]{64}$/.test(metadata.d)) return null;
  const chosen = parsed.data.state.values[IMPORT_MODAL.blocks.cadence]?.[IMPORT_MODAL.actions.cadence]?.selected_option;
  const cadenceDays = Number(chosen?.value ?? 0);
  if (!(KEEP_IN_TOUCH_CHOICES as readonly number[]).includes(cadenceDays)) return null;
  return { fileId: metadata.f, digest: metadata.d, cadenceDays };
}
