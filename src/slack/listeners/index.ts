import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import type { HomePublisher } from '../home-publisher.js';
import { registerAskActions } from './actions/ask-actions.js';
import { registerColleagueActions } from './actions/colleague-actions.js';
import { registerContactActions } from './actions/contact-actions.js';
import { registerFollowUpActions } from './actions/follow-up-actions.js';
import { registerFullReportActions } from './actions/full-report-actions.js';
import { registerHomeActions } from './actions/home-actions.js';
import { registerMeetingActions } from './actions/meeting-actions.js';
import { registerReminderActions } from './actions/reminder-actions.js';
import { registerInfoviewCommand } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { routeListeners } from './listener-router.js';
import { registerOptions } from './options/index.js';
import { registerAskSubmissions, registerHolidaysSubmission } from './views/ask-submission.js';
import { registerContactSubmissions } from './views/contact-submission.js';
import { registerDebriefSubmissions } from './views/debrief-submission.js';
import { registerDeleteMyData } from './views/delete-my-data-submission.js';
import { registerMergeSubmissions } from './views/merge-contact-submission.js';
import { registerQuestionsSubmission } from './views/questions-submission.js';
import { registerScheduleSubmission } from './views/schedule-submission.js';
import { registerSettingsSubmission } from './views/settings-submission.js';

/** Every listener, through one Bolt listener per kind of request (see listener-router.ts). */
export function registerListeners(bolt: App, deps: ListenerDeps, home: HomePublisher): void {
  const app = routeListeners(bolt);
  registerInfoviewCommand(app, deps);
  registerScheduleSubmission(app, deps);
  registerMeetingActions(app, deps);
  registerContactSubmissions(app, deps);
  registerContactActions(app, deps);
  registerMergeSubmissions(app, deps);
  registerColleagueActions(app, deps);
  registerOptions(app, deps);
  registerReminderActions(app, deps);
  registerSettingsSubmission(app, deps);
  registerDebriefSubmissions(app, deps);
  registerFollowUpActions(app, deps);
  registerFullReportActions(app, deps);
  registerHomeActions(app, deps);
  registerQuestionsSubmission(app, deps);
  registerEvents(app, deps, home);
  registerDeleteMyData(app, deps);
  registerAskActions(app, deps);
  registerAskSubmissions(app, deps);
  registerHolidaysSubmission(app, deps);
}
