import type { Button, HomeView, KnownBlock, PlainTextOption } from '@slack/types';
import { formatDay, localDay } from '../../../domain/business-days.js';
import {
  ADVISOR_SORTS,
  type AdvisorSort,
  IDLE_DAYS,
  type PeriodFigures,
  type SharerFigures,
} from '../../../domain/centre/advisor-figures.js';
import type { AdvisorHome } from '../../../domain/centre/advisor-service.js';
import { DATE_TOKENS, slackDate } from '../slack-date.js';
import { mrkdwn, plain } from '../text.js';

// The "Advisor view" section of an active advisor's Home: the people who share with them, each as their Slack
// mention and figures only (counts, rates, dates): no one else's name and no text anyone wrote can reach it, since
// the figures are computed from activity without text. Pure.

export const ADVISOR_HOME = {
  blockId: 'advisor_home_controls',
  actions: {
    sort: 'advisor_home_sort',
    page: 'advisor_home_page',
    stages: 'advisor_home_stages',
  },
} as const;

const SORT_LABELS: Record<AdvisorSort, string> = {
  recent: 'Latest activity first',
  nudge: 'Who needs a nudge first',
};

/** The most blocks the section uses: header, summary, sort, a page of people, page count and pager (Home's own: 51). */
export const ADVISOR_SECTION_MAX_BLOCKS = 3 + 20 + 2;

function sortOption(sort: AdvisorSort): PlainTextOption {
  return { text: plain(SORT_LABELS[sort]), value: sort };
}

/** A user id as Slack writes them; anything else is never put into a mention. */
function mention(userId: string): string {
  return /^[UW][A-Z0-9]{1,20}$/.test(userId) ? `<@${userId}>` : 'someone';
}

function rate(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}

function period(title: string, figures: PeriodFigures): string {
  const c = figures.counts;
  return [
    `*${title}*`,
    `Asks ${c.asks} · replies ${c.replies} (${rate(figures.replyRate)})`,
    `Conversations ${c.conversations} · thank-yous in 24 h ${c.thank_yous}`,
    `Report-backs ${c.report_backs} · referrals ${c.referrals}`,
  ].join('\n');
}

function sharerBlock(figures: SharerFigures, zone: string): KnownBlock {
  const last =
    figures.lastActivity === null
      ? 'no activity yet'
      : `last activity ${slackDate(figures.lastActivity, DATE_TOKENS.day, formatDay(localDay(figures.lastActivity, zone)))}`;
  const flags: string[] = [];
  if (figures.idle) flags.push(`:seedling: nothing for ${IDLE_DAYS} days: a gentle nudge?`);
  if (figures.overdueFollowUps > 0)
    flags.push(
      `:hourglass: ${figures.overdueFollowUps} follow-up${figures.overdueFollowUps === 1 ? '' : 's'} overdue (3B7)`,
    );
  const stages: Button | undefined =
    figures.level === 'stages'
      ? { type: 'button', action_id: ADVISOR_HOME.actions.stages, text: plain('Stages'), value: figures.ownerId }
      : undefined;
  return {
    type: 'section',
    text: mrkdwn([`${mention(figures.ownerId)} · ${last}`, ...flags].join('\n')),
    fields: [mrkdwn(period('Last 4 weeks', figures.recent)), mrkdwn(period('Since sharing began', figures.total))],
    ...(stages ? { accessory: stages } : {}),
  };
}

/** The section's blocks (at most ADVISOR_SECTION_MAX_BLOCKS); `zone` is the advisor's, for dates' fallbacks. */
export function advisorHomeBlocks(home: AdvisorHome, zone: string): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Advisor view') }];
  if (home.total === 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn('Nobody shares their progress with you yet. People choose to, from their own Home or settings.'),
    });
    return blocks;
  }
  const people = home.total === 1 ? '1 person shares' : `${home.total} people share`;
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        `${people} their progress with you; ${home.nudges} could do with a nudge. You see counts and, where they chose, stages: never notes, drafts or the people they meet.`,
      ),
    ],
  });
  blocks.push({
    type: 'actions',
    block_id: ADVISOR_HOME.blockId,
    elements: [
      {
        type: 'static_select',
        action_id: ADVISOR_HOME.actions.sort,
        placeholder: plain('Sort'),
        options: ADVISOR_SORTS.map(sortOption),
        initial_option: sortOption(home.sort),
      },
    ],
  });
  for (const figures of home.sharers) blocks.push(sharerBlock(figures, zone));
  if (home.pages > 1) {
    const pager: Button[] = [];
    if (home.page > 0)
      pager.push({
        type: 'button',
        action_id: `${ADVISOR_HOME.actions.page}_previous`,
        text: plain('Previous'),
        value: String(home.page - 1),
      });
    if (home.page < home.pages - 1)
      pager.push({
        type: 'button',
        action_id: `${ADVISOR_HOME.actions.page}_next`,
        text: plain('Next'),
        value: String(home.page + 1),
      });
    blocks.push({ type: 'context', elements: [mrkdwn(`Page ${home.page + 1} of ${home.pages}`)] });
    blocks.push({ type: 'actions', elements: pager });
  }
  return blocks;
}

/** Home with the advisor's section right after the quick actions; the person's own sections stay as they are. */
export function withAdvisorView(view: HomeView, home: AdvisorHome | null, zone: string): HomeView {
  if (home === null) return view;
  const [first, ...rest] = view.blocks;
  const blocks = [...(first ? [first] : []), ...advisorHomeBlocks(home, zone), ...rest];
  return { ...view, blocks: blocks.slice(0, 100) };
}

/** The sort an option's value names, or null for anything else. */
export function parseAdvisorSort(value: string | undefined): AdvisorSort | null {
  return ADVISOR_SORTS.find((sort) => sort === value) ?? null;
}

/** A page number from a pager button, or null for anything else. */
export function parseAdvisorPage(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return null;
  return Number(value);
}
