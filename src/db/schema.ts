import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row types exactly as stored. Instants are ISO-8601 UTC text from `toDbInstant` (fixed width, so they sort
 * chronologically and PostgreSQL's timestamptz accepts them as they are); booleans are 0 | 1.
 * These types never leave src/db/: repositories return domain objects.
 */
export interface Database {
  slack_users: SlackUsersTable;
  contacts: ContactsTable;
  meetings: MeetingsTable;
  reminders: RemindersTable;
  reminder_settings: ReminderSettingsTable;
  debriefs: DebriefsTable;
  advice_items: AdviceItemsTable;
  saved_questions: SavedQuestionsTable;
  workspaces: WorkspacesTable;
  reminder_replans: ReminderReplansTable;
  asks: AsksTable;
  workspace_holidays: WorkspaceHolidaysTable;
  leases: LeasesTable;
  installations: InstallationsTable;
  oauth_states: OauthStatesTable;
  calendar_feeds: CalendarFeedsTable;
  centre_settings: CentreSettingsTable;
  centre_advisors: CentreAdvisorsTable;
  progress_shares: ProgressSharesTable;
  advisor_views: AdvisorViewsTable;
  cohort_weeks: CohortWeeksTable;
  advisor_charts: AdvisorChartsTable;
  advisor_home_prefs: AdvisorHomePrefsTable;
  advisor_departed: AdvisorDepartedTable;
  processed_events: ProcessedEventsTable;
}

// The career-centre view (migrations/2026-12-07T17-00-00_centre.ts).

/** A workspace's centre view: off until an admin or owner turns it on; k, the fewest people a cohort figure needs. */
export interface CentreSettingsTable {
  team_id: string;
  enabled: 0 | 1;
  /** k: a cohort figure is shown only where at least this many people contribute (never below 5). */
  min_cohort: number;
  changed_by: string;
  updated_at: string;
}

/** An advisor the workspace named: only they can be chosen, and only they see what people share with them. */
export interface CentreAdvisorsTable {
  team_id: string;
  advisor_id: string;
  added_by: string;
  added_at: string;
}

export type ShareLevel = 'counts' | 'stages';

/** A person's choice to share their progress with one advisor, at one level. */
export interface ProgressSharesTable {
  team_id: string;
  owner_id: string;
  advisor_id: string;
  level: ShareLevel;
  created_at: string;
  updated_at: string;
}

/** Each time an advisor saw a person's figures (Home, the CSV, a chart): the person reads this log. */
export interface AdvisorViewsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  advisor_id: string;
  surface: 'home' | 'csv' | 'chart';
  viewed_at: string;
}

/** A cohort's total for one ended week and metric, frozen the first time it was asked for: aggregates only. */
export interface CohortWeeksTable {
  team_id: string;
  /** The Monday the week starts on ("YYYY-MM-DD", UTC). */
  week_start: string;
  /** A progress metric, or 'members': that row's value is how many people the cohort had when it was frozen. */
  metric: string;
  /** The true sum (never shown as is: rounded to 5, and only with enough contributors). */
  value: number;
  /** How many people had a non-zero value in it. */
  contributors: number;
  frozen_at: string;
}

/** The Monday chart of one advisor and week: claimed, then sent once. */
export interface AdvisorChartsTable {
  team_id: string;
  advisor_id: string;
  week_start: string;
  state: 'claimed' | 'sent' | 'skipped';
  claims: Generated<number>;
  lease_until: string | null;
  /** The file Slack numbered for the upload, once asked: an unknown outcome looks for it before uploading again. */
  file_id: string | null;
  sent_at: string | null;
  last_error: string | null;
  updated_at: string;
}

/**
 * How many people an advisor could see one by one have deleted their data since (migrations/2026-12-07T18-03-00):
 * a count, never who, so that a deletion never makes an advisor look as if they knew fewer people.
 */
export interface AdvisorDepartedTable {
  team_id: string;
  advisor_id: string;
  departed: number;
}

/** A user's calendar feed: only the SHA-256 of its secret address (migrations/2026-12-07T13-00-00_calendar-feeds.ts). */
export interface CalendarFeedsTable {
  team_id: string;
  owner_id: string;
  /** Hex SHA-256 of the secret in the address; unique. */
  secret_hash: string;
  created_at: string;
}

export type AskStatus = 'waiting' | 'replied' | 'declined' | 'no_answer';
export type AskChannel = 'email' | 'linkedin' | 'slack' | 'phone' | 'other';

/** A request for a conversation, sent to a contact: its state plans the 3B7 nudges. */
export interface AsksTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  contact_id: number;
  channel: AskChannel;
  /** The local day it went out, "YYYY-MM-DD" in the user's zone: business days count from it. */
  sent_on: string;
  purpose: string | null;
  draft: string | null;
  status: AskStatus;
  /** The one follow-up, when the user marked it sent. */
  followed_up_at: string | null;
  closed_at: string | null;
  /** The modal that recorded it, so a repeated submission records nothing twice. */
  source_view_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A day that is not a business day in a workspace ("YYYY-MM-DD"). */
export interface WorkspaceHolidaysTable {
  team_id: string;
  day: string;
  name: string | null;
}

/** Re-plans still to run after a change that covers many rows; owner_id '' is the whole workspace. */
export interface ReminderReplansTable {
  team_id: string;
  owner_id: string;
  requested_at: string;
}

/** A workspace that uninstalled the app: its data is deleted once purge_after has passed. */
export interface WorkspacesTable {
  team_id: string;
  uninstalled_at: string | null;
  purge_after: string | null;
  /** Uninstalled or its bot token revoked: no reminder is sent until someone uses the app again. */
  reminders_stopped_at: string | null;
  updated_at: string;
  /** The Enterprise Grid organisation the workspace belongs to, once a request said so. */
  enterprise_id: Generated<string | null>;
}

export interface SavedQuestionsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  text: string;
  created_at: string;
}

export interface DebriefsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  meeting_id: number;
  topics: string | null;
  learned: string | null;
  advice: string | null;
  /** The "people they suggested" lines as typed. */
  referrals: string | null;
  /** The "things I said I would do" lines as typed. */
  commitments: string | null;
  /** 1 (much less interested) to 5 (much more). */
  interest_change: number | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  /** The full report: a canvas, or a Markdown file where the workspace cannot create canvases; null until written. */
  report_format: 'canvas' | 'markdown' | null;
  report_canvas_id: string | null;
  report_file_id: string | null;
  /** Its permalink, when Slack gave one. */
  report_url: string | null;
  /** The Markdown it was created from, so the export carries it. */
  report_markdown: string | null;
  report_created_at: string | null;
  /** Set while a creation is under way (the claim that stops a double click making two); cleared on failure. */
  report_claimed_at: string | null;
}

/** One "thing I said I would do" from a debrief: the advice ledger the report-back is drafted from. */
export interface AdviceItemsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  meeting_id: number;
  position: number;
  text: string;
  done_at: string | null;
  created_at: string;
}

export type ReminderState = 'pending' | 'claimed' | 'sent' | 'failed' | 'skipped' | 'cancelled';

export interface RemindersTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  /** The meeting a reminder is about; null for keep-in-touch, which is about a contact. */
  meeting_id: number | null;
  contact_id: number | null;
  kind: string;
  due_at: string;
  state: ReminderState;
  attempts: Generated<number>;
  /** While claimed: when the claim expires; still claimed after that means the outcome is unknown. */
  lease_until: string | null;
  /** 1 when a post may have reached Slack unrecorded: look for it in the DM before posting again. */
  check_before_send: Generated<0 | 1>;
  /** When the current claim handed the post to Slack; null until then (a claim that expires unhanded posted nothing). */
  handed_over_at: string | null;
  /** The first claim: no post of this reminder can be older. */
  first_attempt_at: string | null;
  last_error: string | null;
  channel_id: string | null;
  message_ts: string | null;
  sent_at: string | null;
  /** Which delivery the row stands for, derived from the facts (a moved meeting, a snooze, a touch make a new one). */
  delivery_key: Generated<string>;
  /** Grows with each new delivery; carried in the message metadata so an old post is never taken for a new one. */
  delivery: Generated<number>;
  /** The due time the planner last gave; due_at may be later (retry backoff). */
  planned_due_at: string | null;
  /** Claims ever made of this row; never goes back, so a worker whose claim was taken over cannot record. */
  claims: Generated<number>;
  /** 1 when the facts changed while the row was claimed: reconcile again once the outcome is recorded. */
  replan: Generated<0 | 1>;
  created_at: string;
  updated_at: string;
}

export interface ReminderSettingsTable {
  team_id: string;
  user_id: string;
  prep_lead_minutes: number;
  heads_up_lead_minutes: number;
  /** Local wall-clock "HH:mm". */
  quiet_start: string;
  quiet_end: string;
  disabled_kinds: string;
  /** "Who I am and what I am exploring": the purpose line of every ask draft. */
  ask_purpose: string | null;
  updated_at: string;
}

export interface SlackUsersTable {
  team_id: string;
  user_id: string;
  time_zone: string | null;
  time_zone_checked_at: string | null;
  dm_channel_id: string | null;
  /** Their Slack email, when the app may read it (users:read.email): the organizer of calendar files. */
  email: string | null;
  /** The user's token was revoked: no reminder is sent to them until they use the app again. */
  reminders_stopped_at: string | null;
  /** 1 when Slack said they are a workspace admin or owner (they may edit the workspace's holidays); null unknown. */
  is_admin: 0 | 1 | null;
  created_at: string;
}

export interface ContactsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  name: string;
  pronunciation: string | null;
  title: string | null;
  company: string | null;
  email: string | null;
  profile_url: string | null;
  /** The contact's IANA zone, when known: meeting times are shown in it too. */
  time_zone: string | null;
  how_met: string | null;
  referred_by_id: number | null;
  /** Tags as the user wrote them, comma-separated. */
  tags: string | null;
  notes: string | null;
  /** Normalised "name|company": two contacts with the same key are probably the same person. */
  name_key: string;
  /** Normalised name, pronunciation, title, company and tags: what search matches against. */
  search_text: string;
  /** The latest of creation, edit, or a meeting scheduled with them: lists are newest activity first. */
  last_activity_at: string;
  /** Keep-in-touch cadence in days; 0 = off. */
  keep_in_touch_days: Generated<number>;
  /** The last meeting, debrief, thank-you or report-back with them: the cadence counts from here. */
  last_touch_at: string | null;
  /** "Snooze a week" on a keep-in-touch nudge: not before then; a new touch clears it. */
  keep_in_touch_snoozed_until: string | null;
  /** The Slack user this contact is, for a colleague in the same workspace. */
  slack_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export type MeetingStatus = 'scheduled' | 'cancelled';

export interface MeetingsTable {
  id: Generated<number>;
  team_id: string;
  owner_id: string;
  contact_id: number;
  starts_at: string;
  duration_minutes: number;
  /** starts_at + duration, kept so "not ended yet" is a plain indexed comparison. */
  ends_at: string;
  /** The owner's IANA zone when scheduled: wall-clock rules and display use it. */
  time_zone: string;
  location: string | null;
  goal: string | null;
  questions: string | null;
  status: MeetingStatus;
  /** The modal that created the meeting, so a repeated submission of one view creates nothing twice. */
  source_view_id: string | null;
  /** "Snooze a day" on a thank-you nudge: the second nudge comes then. */
  thank_you_snoozed_until: string | null;
  /** When the user marked the thank-you note as sent. */
  thank_you_sent_at: string | null;
  debriefed_at: string | null;
  reported_back_at: string | null;
  /** The thank-you note as the user last edited it (null: compose from the debrief). */
  thank_you_draft: string | null;
  report_back_draft: string | null;
  /** Bumped at each reschedule or cancellation: calendar apps keep the highest SEQUENCE of a UID. */
  calendar_sequence: Generated<number>;
  /** When it was cancelled (null while scheduled): the calendar feed keeps a cancellation for 30 days. */
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type MeetingRow = Selectable<MeetingsTable>;
export type NewMeetingRow = Insertable<MeetingsTable>;
export type SlackUserRow = Selectable<SlackUsersTable>;

/** A lease several replicas share: who holds it, and until when (migrations/2026-12-04T00-00-00_leases.ts). */
export interface LeasesTable {
  name: string;
  holder: string;
  lease_until: string;
}

/** An OAuth installation: a workspace's, or an Enterprise Grid organisation's; tokens sealed. */
export interface InstallationsTable {
  install_key: string;
  enterprise_id: string | null;
  team_id: string | null;
  is_enterprise_install: 0 | 1;
  bot_token: string;
  bot_refresh_token: string | null;
  /** Slack's installation, without any token (JSON). */
  installation: string;
  installed_at: string;
  updated_at: string;
}

/** An event id seen once (2026-12-07T23-30-00): Slack's redelivery of it does nothing more. Kept an hour. */
export interface ProcessedEventsTable {
  team_id: string;
  event_id: string;
  received_at: string;
}

/** A state handed to one browser at /slack/install, good once. */
export interface OauthStatesTable {
  state: string;
  install_options: string;
  created_at: string;
  used_at: string | null;
}

/** How an advisor last sorted the people who share with them on Home, and the page shown (2026-12-07T18-02-00). */
export interface AdvisorHomePrefsTable {
  team_id: string;
  advisor_id: string;
  sort: 'recent' | 'nudge';
  page: number;
  updated_at: string;
}
