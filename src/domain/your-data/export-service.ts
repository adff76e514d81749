import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.js';
import { countUserRows, exportRows } from '../../db/repositories/export-repository.js';
import type { Owner } from '../types.js';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first) gets a leading
 * apostrophe, the usual neutralisation (OWASP, "CSV injection"); everything else is kept as typed.
 */
export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csv(header: string[], rows: unknown[][]): string {
  // A byte-order mark so spreadsheet apps read the UTF-8 as UTF-8 (names in any script survive).
  return stringify([header, ...rows.map((row) => row.map(neutraliseCell))], { bom: true, record_delimiter: 'windows' });
}

export interface UserExport {
  files: { filename: string; content: string }[];
  counts: { contacts: number; meetings: number; adviceItems: number };
}

/** Everything the user has in infoview, as CSV files for spreadsheets and one JSON file with all of it. */
export async function exportUserData(db: Db, owner: Owner, now: Date): Promise<UserExport> {
  const data = await exportRows(db, owner);
  // Lookups by id, so a user with thousands of meetings is exported in linear time.
  const nameOf = new Map(data.contacts.map((c) => [c.id, c.name]));
  const debriefOf = new Map(data.debriefs.map((d) => [d.meeting_id, d]));
  const contacts = csv(
    [
      'id',
      'name',
      'pronunciation',
      'title',
      'company',
      'email',
      'profile_url',
      'time_zone',
      'how_met',
      'referred_by_id',
      'tags',
      'notes',
      'keep_in_touch_days',
      'last_touch_at',
      'created_at',
      'slack_user_id',
    ],
    data.contacts.map((c) => [
      c.id,
      c.name,
      c.pronunciation,
      c.title,
      c.company,
      c.email,
      c.profile_url,
      c.time_zone,
      c.how_met,
      c.referred_by_id,
      c.tags,
      c.notes,
      c.keep_in_touch_days,
      c.last_touch_at,
      c.created_at,
      c.slack_user_id,
    ]),
  );
  const meetings = csv(
    [
      'id',
      'contact_id',
      'contact_name',
      'starts_at',
      'duration_minutes',
      'time_zone',
      'status',
      'location',
      'goal',
      'questions',
      'thank_you_sent_at',
      'reported_back_at',
      'debrief_topics',
      'debrief_learned',
      'debrief_advice',
      'debrief_referrals',
      'debrief_commitments',
      'debrief_interest_change',
      'debrief_notes',
      'full_report_format',
      'full_report_url',
      'full_report_markdown',
    ],
    data.meetings.map((m) => {
      const d = debriefOf.get(m.id);
      return [
        m.id,
        m.contact_id,
        nameOf.get(m.contact_id) ?? '',
        m.starts_at,
        m.duration_minutes,
        m.time_zone,
        m.status,
        m.location,
        m.goal,
        m.questions,
        m.thank_you_sent_at,
        m.reported_back_at,
        d?.topics,
        d?.learned,
        d?.advice,
        d?.referrals,
        d?.commitments,
        d?.interest_change,
        d?.notes,
        d?.report_format,
        d?.report_url,
        d?.report_markdown,
      ];
    }),
  );
  const items = csv(
    ['id', 'meeting_id', 'text', 'done_at'],
    data.adviceItems.map((i) => [i.id, i.meeting_id, i.text, i.done_at]),
  );
  const asks = csv(
    [
      'id',
      'contact_id',
      'contact_name',
      'channel',
      'sent_on',
      'status',
      'followed_up_at',
      'closed_at',
      'purpose',
      'draft',
    ],
    data.asks.map((a) => [
      a.id,
      a.contact_id,
      nameOf.get(a.contact_id) ?? '',
      a.channel,
      a.sent_on,
      a.status,
      a.followed_up_at,
      a.closed_at,
      a.purpose,
      a.draft,
    ]),
  );
  const json = JSON.stringify(
    { exported_at: now.toISOString(), team_id: owner.teamId, user_id: owner.userId, ...data },
    null,
    2,
  );
  return {
    files: [
      { filename: 'infoview-contacts.csv', content: contacts },
      { filename: 'infoview-meetings.csv', content: meetings },
      { filename: 'infoview-advice-items.csv', content: items },
      { filename: 'infoview-asks.csv', content: asks },
      { filename: 'infoview-export.json', content: json },
    ],
    counts: { contacts: data.contacts.length, meetings: data.meetings.length, adviceItems: data.adviceItems.length },
  };
}

/** How much the user has, for the deletion confirmation: three counts, not an export. */
export function countUserData(db: Db, owner: Owner) {
  return countUserRows(db, owner);
}
