import { type Kysely, sql } from 'kysely';

// Frozen in time. The full report of a debrief (issue 12, point 4): a Slack canvas, or a Markdown file in the DM
// where the workspace cannot create canvases. One per debrief; `report_claimed_at` is the claim a creation takes
// first (a conditional update), so two clicks never make two canvases; it is cleared when the creation fails.

const COLUMNS = [
  'report_format',
  'report_canvas_id',
  'report_file_id',
  'report_url',
  'report_markdown',
  'report_created_at',
  'report_claimed_at',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('debriefs')
    .addColumn('report_format', 'text', (col) => col.check(sql`report_format in ('canvas', 'markdown')`))
    .execute();
  for (const column of COLUMNS.slice(1)) await db.schema.alterTable('debriefs').addColumn(column, 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [...COLUMNS].reverse()) await db.schema.alterTable('debriefs').dropColumn(column).execute();
}
