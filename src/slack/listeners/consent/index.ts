import type { ListenerDeps } from '../../../deps.js';
import type { HomePublisher } from '../../home-publisher.js';
import type { ListenerRegistry } from '../listener-router.js';
import { registerCentreSubmission, registerShareSubmission } from './consent-submissions.js';
import { registerSharingActions } from './sharing-actions.js';

/** The consent side of the career-centre view: the admin's form, each person's sharing, and their receipts. */
export function registerConsentListeners(app: ListenerRegistry, deps: ListenerDeps, home: HomePublisher): void {
  registerCentreSubmission(app, deps, home);
  registerShareSubmission(app, deps, home);
  registerSharingActions(app, deps, home);
}
