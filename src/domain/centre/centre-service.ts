import type { Db } from '../../db/database.js';
import { lockCentre } from '../../db/dialect.js';
import {
  type CentreSettings,
  findCentre,
  saveCentre,
  sharesWithAdvisors,
} from '../../db/repositories/centre-repository.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { DEFAULT_MIN_COHORT, droppedByAdvisorChange } from './consent-rules.js';

// The workspace's side of the centre view: an admin or owner (checked at the edge, from what Slack said) turns it on,
// names the advisors and sets k. Removing an advisor ends every share with them at once.

/** The centre as the admin's form shows it: off, no advisors and k = 10 before anyone set it. */
export async function centreForAdmin(db: Db, teamId: string): Promise<CentreSettings> {
  return (await findCentre(db, teamId)) ?? { enabled: false, minCohort: DEFAULT_MIN_COHORT, advisorIds: [] };
}

/** True when the workspace's centre view is on. */
export async function centreIsOn(db: Db, teamId: string): Promise<boolean> {
  return (await findCentre(db, teamId))?.enabled === true;
}

export interface CentreSaved {
  settings: CentreSettings;
  /** Advisors named now who were not before, and those no longer named. */
  added: string[];
  removed: string[];
  /** Per person, the advisors whose shares ended because they are no longer named (each person is told). */
  droppedShares: Map<string, string[]>;
}

/**
 * Stores the centre's settings and advisors in one transaction; shares with an advisor no longer named are deleted
 * with them. Says who was added, who removed and whose shares ended, so the edge can tell them.
 */
export async function saveCentreSettings(
  db: Db,
  teamId: string,
  settings: CentreSettings,
  changedBy: string,
  now: Date,
): Promise<CentreSaved> {
  return db.transaction().execute(async (trx) => {
    await lockCentre(trx, teamId);
    const before = (await findCentre(trx, teamId))?.advisorIds ?? [];
    const kept = new Set(settings.advisorIds);
    const removed = before.filter((id) => !kept.has(id));
    const lost = await sharesWithAdvisors(trx, teamId, removed);
    await saveCentre(trx, teamId, settings, changedBy, toDbInstant(now));
    const previously = new Set(before);
    return {
      settings,
      added: settings.advisorIds.filter((id) => !previously.has(id)),
      removed,
      droppedShares: droppedByAdvisorChange(lost, settings.advisorIds),
    };
  });
}
