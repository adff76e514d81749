import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import type { HomePublisher } from '../home.js';
import { registerContactActions } from './actions/contact-actions.js';
import { registerFollowUpActions } from './actions/follow-up-actions.js';
import { registerFullReportActions } from './actions/full-report-actions.js';
import { registerHomeActions } from './actions/home-actions.js';
import { registerMeetingActions } from './actions/meeting-actions.js';
import { registerReminderActions } from './actions/reminder-actions.js';
import { registerInfoviewCommand } from './commands/infoview.js';
import { registerEvents } from './events/index.js';
import { registerOptions } from './options/index.js';
import { registerContactSubmissions } from './views/contact-submission.js';
import { registerDebriefSubmissions } from './views/debrief-submission.js';
import { registerDeleteMyData } from './views/delete-my-data.js';
import { registerQuestionsSubmission } from './views/questions-submission.js';
import { registerScheduleSubmission } from './views/schedule-submission.js';
import { registerSettingsSubmission } from './views/settings-submission.js';

export function registerListeners(app: App, deps: AppDeps, home: HomePublisher): void {
  registerInfoviewCommand(app, deps);
  registerScheduleSubmission(app, deps);
  registerMeetingActions(app, deps);
  registerContactSubmissions(app, deps);
  registerContactActions(app, deps);
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
}
