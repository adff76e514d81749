import type { Db } from '../../db/database.js';
import { listHolidays } from '../../db/repositories/asks-repository.js';
import {
  type AdvisorHomePrefs,
  activitySummaries,
  findAdvisorHomePrefs,
  ownersViewedSince,
  saveAdvisorHomePrefs,
} from '../../db/repositories/centre/advisor-home-repository.js';
import { isActiveAdvisor, recordViews, sharersOf } from '../../db/repositories/centre-repository.js';
import { loadProgressActivity } from '../../db/repositories/progress-repository.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import type { Owner } from '../types.js';
import {
  ADVISOR_PAGE_SIZE,
  type AdvisorSort,
  clampPage,
  needsNudge,
  type SharerFigures,
  shareDay,
  sharerFigures,
  sharerStanding,
  sortSharers,
} from './advisor-figures.js';
import { activitySince, type ProgressStage, progressStages } from './progress-facts.js';

// The advisor's Home: who shares with the advisor now (read at every publish, never cached, so a withdrawn share or a
// centre turned off shows nothing at the very next publish), their figures, and a log entry for each person shown.

/**
 * A look is logged for a person at most once an hour per advisor: Home is republished after every button the
 * advisor presses, and one sitting is one look. A look that comes later than that is logged again.
 */
export const VIEW_LOG_COALESCE_MS = 3_600_000;

export interface AdvisorHome {
  /** The people on the page shown, in the chosen order. */
  sharers: SharerFigures[];
  /** Everyone who shares with the advisor, and how many of them could do with a nudge. */
  total: number;
  nudges: number;
  sort: AdvisorSort;
  page: number;
  pages: number;
}

const DEFAULT_PREFS: AdvisorHomePrefs = { sort: 'recent', page: 0 };

/**
 * What the advisor's Home shows, or null when `owner` is not an active advisor (then nothing at all is read or
 * logged). Logs a look (surface `home`) for each person on the page shown, coalesced (VIEW_LOG_COALESCE_MS). The
 * figures come from loadProgressActivity, which reads no text column.
 */
export async function loadAdvisorHome(db: Db, owner: Owner, now: Date): Promise<AdvisorHome | null> {
  if (!(await isActiveAdvisor(db, owner.teamId, owner.userId))) return null;
  const [sharers, prefs] = await Promise.all([
    sharersOf(db, owner.teamId, owner.userId),
    findAdvisorHomePrefs(db, owner.teamId, owner.userId),
  ]);
  const { sort, page: wanted } = prefs ?? DEFAULT_PREFS;
  // Everyone's standing from one aggregate query per table; each figure only for the page shown.
  const summaries = await activitySummaries(
    db,
    owner.teamId,
    sharers.map((sharer) => sharer.ownerId),
    toDbInstant(now),
  );
  // The 3B7 clock skips the workspace's holidays, as the person's own Home does (askOverview).
  const earliest = summaries.flatMap((summary) => summary.waitingSince).sort()[0];
  const holidays = new Set(
    earliest === undefined ? [] : (await listHolidays(db, owner.teamId, earliest)).map((holiday) => holiday.day),
  );
  const standings = sharers.map((sharer, index) => {
    const summary = summaries[index];
    const waiting = { timeZone: summary?.timeZone ?? null, sentOn: summary?.waitingSince ?? [] };
    return sharerStanding(sharer, summary?.latest ?? null, waiting, now, holidays);
  });
  const { page, pages } = clampPage(wanted, standings.length);
  const onPage = sortSharers(standings, sort).slice(page * ADVISOR_PAGE_SIZE, (page + 1) * ADVISOR_PAGE_SIZE);
  const activities = await loadProgressActivity(
    db,
    owner.teamId,
    onPage.map((standing) => standing.ownerId),
  );
  const shown = onPage.map((standing, index) => ({
    ...sharerFigures(standing, activities[index] ?? emptyActivity(standing.ownerId), now, holidays),
    ...standing,
  }));
  await logLooks(
    db,
    owner,
    shown.map((figure) => figure.ownerId),
    now,
  );
  return {
    sharers: shown,
    total: standings.length,
    nudges: standings.filter(needsNudge).length,
    sort,
    page,
    pages,
  };
}

function emptyActivity(userId: string) {
  return { userId, timeZone: null, asks: [], meetings: [], referralsAt: [], lastContactAt: null };
}

/** Logs a Home look for each of `ownerIds` not already logged for this advisor within the coalescing window. */
async function logLooks(db: Db, advisor: Owner, ownerIds: string[], now: Date): Promise<void> {
  if (ownerIds.length === 0) return;
  const since = toDbInstant(new Date(now.getTime() - VIEW_LOG_COALESCE_MS));
  const logged = await ownersViewedSince(db, advisor.teamId, advisor.userId, ownerIds, 'home', since);
  const fresh = ownerIds.filter((ownerId) => !logged.has(ownerId));
  await recordViews(db, advisor.teamId, advisor.userId, fresh, 'home', toDbInstant(now));
}

/**
 * The advisor's choice of sort or page, stored only for an active advisor (anyone else's press changes nothing).
 * A new sort starts at the first page. Returns whether it was stored.
 */
export async function chooseAdvisorView(
  db: Db,
  owner: Owner,
  choice: { sort: AdvisorSort } | { page: number },
  now: Date,
): Promise<boolean> {
  if (!(await isActiveAdvisor(db, owner.teamId, owner.userId))) return false;
  const current = (await findAdvisorHomePrefs(db, owner.teamId, owner.userId)) ?? DEFAULT_PREFS;
  const next: AdvisorHomePrefs = 'sort' in choice ? { sort: choice.sort, page: 0 } : { ...current, page: choice.page };
  await saveAdvisorHomePrefs(db, owner.teamId, owner.userId, next, toDbInstant(now));
  return true;
}

/**
 * The stages of `sharerId`'s asks and conversations (stage and day only, never the other person), or null unless
 * `owner` is an active advisor of this workspace with whom `sharerId` shares at level `stages` right now. Logs the look.
 */
export async function advisorStages(
  db: Db,
  owner: Owner,
  sharerId: string,
  now: Date,
): Promise<ProgressStage[] | null> {
  if (!(await isActiveAdvisor(db, owner.teamId, owner.userId))) return null;
  const share = (await sharersOf(db, owner.teamId, owner.userId)).find((sharer) => sharer.ownerId === sharerId);
  if (share === undefined || share.level !== 'stages') return null;
  const [activity] = await loadProgressActivity(db, owner.teamId, [sharerId]);
  await logLooks(db, owner, [sharerId], now);
  return activity === undefined ? [] : progressStages(activitySince(activity, shareDay(share)), now);
}
