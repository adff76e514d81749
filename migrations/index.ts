import type { Migration } from 'kysely';
import * as foundation from './2026-11-25T00-00-00_foundation.js';
import * as contacts from './2026-11-26T00-00-00_contacts.js';
import * as reminders from './2026-11-26T01-00-00_reminders.js';
import * as debriefs from './2026-11-26T02-00-00_debriefs.js';
import * as savedQuestions from './2026-11-26T03-00-00_saved-questions.js';
import * as contactsSearchIndex from './2026-11-26T04-00-00_contacts-search-index.js';
import * as workspaces from './2026-11-26T05-00-00_workspaces.js';
import * as homeIndexes from './2026-11-26T06-00-00_home-indexes.js';
import * as reminderFacts from './2026-12-02T00-00-00_reminder-facts.js';
import * as userEmail from './2026-12-02T01-00-00_user-email.js';
import * as asks from './2026-12-03T00-00-00_asks.js';
import * as fullReport from './2026-12-03T01-00-00_full-report.js';
import * as leases from './2026-12-04T00-00-00_leases.js';
import * as installations from './2026-12-04T01-00-00_installations.js';
import * as reminderCountsIndex from './2026-12-05T00-00-00_reminder-counts-index.js';
import * as reminderHandOver from './2026-12-06T00-00-00_reminder-hand-over.js';
import * as oneWaitingAsk from './2026-12-06T01-00-00_one-waiting-ask.js';
import * as calendarFeeds from './2026-12-07T13-00-00_calendar-feeds.js';
import * as centre from './2026-12-07T17-00-00_centre.js';
import * as advisorHome from './2026-12-07T18-02-00_advisor-home.js';
import * as advisorDeparted from './2026-12-07T18-03-00_advisor-departed.js';
import * as processedEvents from './2026-12-07T23-30-00_processed-events.js';

/** Every migration, by name; names sort in the order they run. A test checks this lists every file. */
export const migrations: Record<string, Migration> = {
  '2026-11-25T00-00-00_foundation': foundation,
  '2026-11-26T00-00-00_contacts': contacts,
  '2026-11-26T01-00-00_reminders': reminders,
  '2026-11-26T02-00-00_debriefs': debriefs,
  '2026-11-26T03-00-00_saved-questions': savedQuestions,
  '2026-11-26T04-00-00_contacts-search-index': contactsSearchIndex,
  '2026-11-26T05-00-00_workspaces': workspaces,
  '2026-11-26T06-00-00_home-indexes': homeIndexes,
  '2026-12-02T00-00-00_reminder-facts': reminderFacts,
  '2026-12-02T01-00-00_user-email': userEmail,
  '2026-12-03T00-00-00_asks': asks,
  '2026-12-03T01-00-00_full-report': fullReport,
  '2026-12-04T00-00-00_leases': leases,
  '2026-12-04T01-00-00_installations': installations,
  '2026-12-05T00-00-00_reminder-counts-index': reminderCountsIndex,
  '2026-12-06T00-00-00_reminder-hand-over': reminderHandOver,
  '2026-12-06T01-00-00_one-waiting-ask': oneWaitingAsk,
  '2026-12-07T13-00-00_calendar-feeds': calendarFeeds,
  '2026-12-07T17-00-00_centre': centre,
  '2026-12-07T18-02-00_advisor-home': advisorHome,
  '2026-12-07T18-03-00_advisor-departed': advisorDeparted,
  '2026-12-07T23-30-00_processed-events': processedEvents,
};
