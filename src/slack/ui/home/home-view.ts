import type { HomeView, KnownBlock } from '@slack/types';
import { HOME_LIST_SIZE, type HomeData } from '../../../domain/home-service.js';
import { ASK_FOLLOW_UP_BUSINESS_DAY } from '../../../domain/reminders/contact-plan.js';
import { sharingHomeBlocks } from '../consent/sharing-home.js';
import { ASK_ACTIONS } from '../messages/asks-messages.js';
import { CONTACT_ACTIONS } from '../messages/contacts-messages.js';
import { contactLine, meetingWhenMrkdwn } from '../messages/meeting-messages.js';
import { myProgressButton } from '../messages/my-progress-messages.js';
import { REMINDER_ACTIONS } from '../messages/reminders-messages.js';
import { subscribeButton } from '../modals/calendar-feed-modal.js';
import { slackDateTime, slackDay } from '../slack-date.js';
import { escapeToFit, mrkdwn, plain } from '../text.js';
import { cohortSection } from './cohort-section.js';

/** Home's own buttons; items reuse the actions of the messages they stand for. */
export const HOME_ACTIONS = {
  schedule: 'home_schedule',
  logContact: 'home_log_contact',
  debrief: 'home_debrief',
  questions: 'home_questions',
  allContacts: 'home_all_contacts',
  allUpcoming: 'home_all_upcoming',
  importContacts: 'home_import_contacts',
} as const;

/** Home may hold 100 blocks; every list is capped, so this many is the most it can ever use. */
export const HOME_MAX_BLOCKS = 100;

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger') {
  return { type: 'button' as const, action_id: actionId, text: plain(text), value, ...(style ? { style } : {}) };
}

function item(text: string, accessory: ReturnType<typeof button>): KnownBlock {
  return { type: 'section', text: mrkdwn(text), accessory };
}

function more(count: number, noun: string, actionId?: string): KnownBlock[] {
  if (count <= 0) return [];
  const text = mrkdwn(`and ${count} more ${noun}`);
  if (!actionId) return [{ type: 'context', elements: [text] }];
  return [{ type: 'section', text, accessory: button(actionId, 'See all', 'all') }];
}

const FIRST_RUN = [
  '*Welcome to infoview.* Informational interviews are short conversations to learn about a job, a field or an organisation from someone who does the work. infoview walks you through each one:',
  '1. *Log the people you meet* and who introduced you (`/infoview contact`).',
  '2. *Schedule a conversation* (`/infoview schedule Ada Lovelace next Tuesday 3pm`): you get prep tips the day before and a heads-up an hour before.',
  '3. *Debrief right after*, while it is fresh: the people they suggest become contacts, and your next steps a checklist.',
  '4. *Thank them within a day* (a draft is ready for you), and *report back* a few weeks later on what you did with their advice.',
].join('\n');

/** Asks waiting for a reply (day n of 7, with what to do), and the next person worth asking. */
function asksSection(asks: HomeData['asks'], zone: string): KnownBlock[] {
  if (asks.waiting.length === 0 && asks.next === null) return [];
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Asks') }];
  for (const { ask, contact, businessDay, followUpDue } of asks.waiting.slice(0, HOME_LIST_SIZE)) {
    const day = Math.min(businessDay, ASK_FOLLOW_UP_BUSINESS_DAY);
    const state = followUpDue
      ? '*follow-up due*'
      : ask.followedUpAt !== null
        ? `followed up ${slackDateTime(ask.followedUpAt, zone)}`
        : `day ${day} of ${ASK_FOLLOW_UP_BUSINESS_DAY}`;
    const options = [
      ...(followUpDue ? [menuOption('Follow up once', `follow_up:${ask.id}`)] : []),
      menuOption('They replied', `replied:${ask.id}`),
      menuOption('They declined', `declined:${ask.id}`),
      menuOption('No answer', `no_answer:${ask.id}`),
    ];
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `:hourglass_flowing_sand: *${escapeToFit(contact.name, 150)}* · asked ${slackDay(ask.sentOn, zone)} · ${state}`,
      ),
      accessory: { type: 'overflow', action_id: ASK_ACTIONS.homeMenu, options },
    });
  }
  blocks.push(...more(asks.waiting.length - HOME_LIST_SIZE, 'asks waiting for a reply'));
  if (asks.next !== null) {
    const referred = asks.next.referredById !== null ? ' _(someone referred you)_' : '';
    blocks.push(
      item(
        `:bust_in_silhouette: Next to ask: *${escapeToFit(asks.next.name, 150)}*${referred}`,
        button(ASK_ACTIONS.open, 'Ask', String(asks.next.id), 'primary'),
      ),
    );
  }
  return blocks;
}

function menuOption(text: string, value: string) {
  return { text: plain(text), value };
}

/** The Home tab: what needs attention, what is coming, recent contacts, and progress. Pure; never over 100 blocks. */
export function buildHomeView(data: HomeData, zone: string): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'actions',
      block_id: 'home_quick_actions',
      elements: [
        button(HOME_ACTIONS.schedule, 'Schedule', 'new', 'primary'),
        button(HOME_ACTIONS.logContact, 'Log contact', 'new'),
        button(HOME_ACTIONS.debrief, 'Debrief', 'new'),
        button(HOME_ACTIONS.questions, 'Question bank', 'all'),
        subscribeButton(),
        button(HOME_ACTIONS.importContacts, 'Import contacts', 'new'),
        myProgressButton(),
      ],
    },
  ];
  blocks.push(...cohortSection(data.cohort));
  const { attention, upcoming, recentContacts } = data;
  const empty = data.contactCount === 0 && upcoming.length === 0 && data.progress.meetingsTotal === 0;
  if (empty) {
    blocks.push({ type: 'section', text: mrkdwn(FIRST_RUN) }, ...sharingHomeBlocks(data.sharing));
    return { type: 'home', blocks };
  }

  const needs: KnownBlock[] = [];
  const shown = <T>(list: T[]) => list.slice(0, HOME_LIST_SIZE);
  for (const found of shown(attention.debriefs)) {
    needs.push(
      item(
        `:memo: Debrief your conversation with *${escapeToFit(found.contact.name, 150)}* (${slackDateTime(found.meeting.startsAt, zone)})`,
        button(REMINDER_ACTIONS.openDebrief, 'Debrief', String(found.meeting.id), 'primary'),
      ),
    );
  }
  needs.push(...more(attention.debriefs.length - HOME_LIST_SIZE, 'to debrief: `/infoview debrief`'));
  for (const { found, hoursLeft } of shown(attention.thankYous)) {
    needs.push(
      item(
        `:envelope: Thank *${escapeToFit(found.contact.name, 150)}*: ${hoursLeft} hour${hoursLeft === 1 ? '' : 's'} left of the 24`,
        button(REMINDER_ACTIONS.showThankYou, 'See a draft', String(found.meeting.id)),
      ),
    );
  }
  needs.push(...more(attention.thankYous.length - HOME_LIST_SIZE, 'thank-yous to send'));
  for (const found of shown(attention.reportBacks)) {
    needs.push(
      item(
        `:leftwards_arrow_with_hook: Report back to *${escapeToFit(found.contact.name, 150)}* on the advice you followed`,
        button(REMINDER_ACTIONS.draftReportBack, 'Draft report-back', String(found.meeting.id)),
      ),
    );
  }
  needs.push(...more(attention.reportBacks.length - HOME_LIST_SIZE, 'report-backs due'));
  for (const contact of shown(attention.keepInTouch)) {
    needs.push(
      item(
        `:wave: Time to get back in touch with *${escapeToFit(contact.name, 150)}*`,
        button(REMINDER_ACTIONS.keepInTouchTouch, 'Log a touch', String(contact.id)),
      ),
    );
  }
  needs.push(...more(attention.keepInTouch.length - HOME_LIST_SIZE, 'to get back in touch with'));
  blocks.push({ type: 'header', text: plain('Needs your attention') });
  blocks.push(
    ...(needs.length > 0
      ? needs
      : [{ type: 'section', text: mrkdwn('Nothing right now. :tada:') } satisfies KnownBlock]),
  );

  blocks.push({ type: 'header', text: plain('Upcoming') });
  if (upcoming.length === 0)
    blocks.push({ type: 'section', text: mrkdwn('No meetings planned. Press *Schedule* to plan one.') });
  for (const { found, prep } of shown(upcoming)) {
    const where = found.meeting.location ? `\n${escapeToFit(found.meeting.location, 200)}` : '';
    const prepText = prep === 'sent' ? 'prep tips sent' : prep === 'pending' ? 'prep tips coming' : 'no prep tips';
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${meetingWhenMrkdwn(found.meeting, zone, found.contact)}* · ${found.meeting.durationMinutes} min · _${prepText}_\n${contactLine(found.contact, 'compact')}${where}`,
      ),
      accessory: button(CONTACT_ACTIONS.history, 'History', String(found.contact.id)),
    });
  }
  blocks.push(...more(upcoming.length - HOME_LIST_SIZE, 'upcoming', HOME_ACTIONS.allUpcoming));

  blocks.push(...asksSection(data.asks, zone));

  blocks.push({ type: 'header', text: plain('Recent contacts') });
  for (const contact of shown(recentContacts)) {
    blocks.push({
      type: 'section',
      text: mrkdwn(contactLine(contact, 'compact')),
      accessory: button(CONTACT_ACTIONS.schedule, 'Schedule', String(contact.id)),
    });
  }
  blocks.push(
    ...more(data.contactCount - Math.min(recentContacts.length, HOME_LIST_SIZE), 'contacts', HOME_ACTIONS.allContacts),
  );

  const p = data.progress;
  // Only meetings whose 24 hours are over (or already thanked in time) count: one that ended an hour ago is not late.
  const rate = p.thankYousDue === 0 ? '–' : `${Math.round((100 * p.thankYousOnTime) / p.thankYousDue)}%`;
  blocks.push({ type: 'header', text: plain('Your progress') });
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`*Meetings this month*\n${p.meetingsThisMonth}`),
      mrkdwn(`*Meetings in total*\n${p.meetingsTotal}`),
      mrkdwn(`*Thanked within 24 hours*\n${rate} (${p.thankYousOnTime} of ${p.thankYousDue})`),
      mrkdwn(`*Report-backs closed*\n${p.reportBacks}`),
      mrkdwn(`*Referrals received*\n${p.referrals}`),
      mrkdwn(`*Asks sent*\n${data.asks.sent}`),
      mrkdwn(
        `*Reply rate*\n${data.asks.sent === 0 ? '–' : `${Math.round((100 * data.asks.replied) / data.asks.sent)}% (${data.asks.replied} of ${data.asks.sent})`}`,
      ),
    ],
  });
  blocks.push(...sharingHomeBlocks(data.sharing));
  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}
