import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps.js';
import { registerMeetingActions } from './actions/meeting-actions.js';
import { registerInfoviewCommand } from './commands/infoview.js';
import { registerScheduleSubmission } from './views/schedule-submission.js';

export function registerListeners(app: App, deps: AppDeps): void {
  registerInfoviewCommand(app, deps);
  registerScheduleSubmission(app, deps);
  registerMeetingActions(app, deps);
}
