import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { DateTime } from 'luxon';
import { findContactsPage } from '../../../domain/contacts/contacts-service.js';
import { meetingsToDebrief } from '../../../domain/debriefs/debriefs-service.js';
import { countUserData, exportUserData } from '../../../domain/your-data/export-service.js';
import { ownQuestions } from '../../../domain/meetings/questions-service.js';
import { findCategory, QUESTION_BANK } from '../../../domain/meetings/question-bank.js';
import { FALLBACK_TIME_ZONE } from '../../../lib/zoned-time.js';
import { listUpcomingMeetings } from '../../../domain/meetings/meetings-service.js';
import { reminderSettingsOf } from '../../../domain/reminders/reminder-settings-service.js';
import { parseScheduleText } from '../../../domain/meetings/schedule-text.js';
import { storedTimeZone, latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import { sendFilesToUser } from '../../direct-messages.js';
import { buildContactList, CONTACTS_PAGE_SIZE } from '../../ui/messages/contacts-messages.js';
import { buildHelp } from '../../ui/messages/help-messages.js';
import { buildUpcomingList, UPCOMING_LIMIT } from '../../ui/messages/upcoming-messages.js';
import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { buildDebriefModal } from '../../ui/modals/debrief-modal.js';
import { buildDeleteMyDataModal } from '../../ui/modals/delete-my-data-modal.js';
import { buildQuestionsModal } from '../../ui/modals/questions-modal.js';
import { truncate } from '../../ui/text.js';
import { buildScheduleModal } from '../../ui/modals/schedule-modal.js';
import { buildSettingsModal } from '../../ui/modals/settings-modal.js';
import { openModal, updateModal } from '../modals.js';
import { commandOwner } from '../owner.js';
import { askPurposeOf, contactsCalled, startAsk, workspaceHolidays } from '../../../domain/asks/asks-service.js';
import { localDay } from '../../../domain/business-days.js';
import type { Contact } from '../../../domain/types.js';
import { storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { knownAdmin, refreshAdmin } from '../../admins.js';
import { directMessageLinkOf } from '../../../domain/contacts/colleagues.js';
import { buildAskModal, buildAskPickModal } from '../../ui/modals/ask-modal.js';
import { buildHolidaysModal } from '../../ui/modals/holidays-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { slackUserDirectory } from '../../user-directory.js';

export const COMMAND = '/infoview';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** "schedule Ada next Tuesday" -> ["schedule", "Ada next Tuesday"]. */
export function splitSubcommand(text: string): { subcommand: string; rest: string } {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return { subcommand: trimmed.toLowerCase(), rest: '' };
  return { subcommand: trimmed.slice(0, space).toLowerCase(), rest: trimmed.slice(space + 1).trim() };
}

export function registerInfoviewCommand(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.command(COMMAND, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    const { subcommand, rest } = splitSubcommand(args.command.text ?? '');
    switch (subcommand) {
      case 'schedule':
        return openScheduleModal(args, deps, rest);
      case 'upcoming':
        return showUpcoming(args, deps);
      case 'contact':
        return openContactModal(args, deps, rest);
      case 'contacts':
        return showContacts(args, deps, rest);
      case 'settings':
        return openSettings(args, deps);
      case 'debrief':
        return openDebrief(args, deps);
      case 'questions':
        return openQuestions(args, deps, rest);
      case 'ask':
        return openAsk(args, deps, rest);
      case 'holidays':
        return openHolidays(args, deps);
      case 'export':
        return exportData(args, deps);
      case 'delete-my-data':
        return confirmDeleteMyData(args, deps);
      case '':
      case 'help':
        return void (await args.ack(buildHelp()));
      default:
        return void (await args.ack(buildHelp(subcommand)));
    }
  });
}

// The same form every time: built once, so openModal encodes it once too.
const BLANK_SCHEDULE_MODAL = buildScheduleModal({ name: null, startsAt: null });

/**
 * Acks, then opens the modal before any Web API call: the trigger_id expires 3 seconds after the command, and
 * users.info may take longer. Free text needs the user's zone for its time: a cached zone fills it at once; a
 * newcomer's form opens with the name, and the time follows by views.update once Slack has told us the zone.
 */
async function openScheduleModal(args: CommandArgs, deps: ListenerDeps, text: string) {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const directory = slackUserDirectory(client);
  const cached = text === '' ? null : await storedTimeZone(deps.db, owner);
  // The name reads the same in any zone; the time only in the user's own.
  const hint = text === '' ? null : parseScheduleText(text, now, cached ?? FALLBACK_TIME_ZONE);
  const shown = hint === null ? null : { name: hint.name, startsAt: cached === null ? null : hint.startsAt };
  const view =
    shown === null || (shown.name === null && shown.startsAt === null)
      ? BLANK_SCHEDULE_MODAL
      : buildScheduleModal(shown);
  const opened = await openModal(args, view);
  if (opened === null) return;
  // Also warms the zone, so the submission and its confirmation need no users.info call.
  const zone = await latestTimeZone(deps.db, directory, owner, now, deps.logger);
  if (hint === null || cached !== null || hint.startsAt === null || !opened.id) return;
  // users.info failed: no zone to read the time in, and the form as opened stays usable.
  if ((await storedTimeZone(deps.db, owner)) === null) return;
  const timed = parseScheduleText(text, now, zone);
  if (timed.startsAt === null) return;
  try {
    await updateModal(
      client,
      { id: opened.id, hash: opened.hash },
      buildScheduleModal({ name: shown?.name ?? null, startsAt: timed.startsAt }),
    );
  } catch (error) {
    // The user changed the form meanwhile (hash_conflict) or closed it (not_found): theirs stands.
    const code = platformErrorCode(error);
    if (code !== 'hash_conflict' && code !== 'not_found') throw error;
  }
}

async function showUpcoming({ ack, command, client, respond }: CommandArgs, deps: ListenerDeps) {
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  const meetings = await listUpcomingMeetings(deps.db, owner, now, UPCOMING_LIMIT + 1);
  const message = buildUpcomingList(meetings.slice(0, UPCOMING_LIMIT), zone, meetings.length > UPCOMING_LIMIT);
  await respond({ response_type: 'ephemeral', ...message });
}

/** `/infoview contact [name]`: the contact form, with the name filled in when given. */
async function openContactModal(args: CommandArgs, deps: ListenerDeps, name: string) {
  const { ack } = args;
  await ack();
  await openModal(args, buildContactModal({ name: name || null, now: deps.clock.now() }));
}

/** `/infoview contacts [query]`: the first page of matching contacts, only visible to the user. */
async function showContacts({ ack, command, client, respond }: CommandArgs, deps: ListenerDeps, query: string) {
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
  const page = await findContactsPage(deps.db, owner, query, { offset: 0, limit: CONTACTS_PAGE_SIZE, now });
  await respond({
    response_type: 'ephemeral',
    ...buildContactList(page.summaries, { query, offset: 0, hasMore: page.hasMore, zone }),
  });
}

/** `/infoview settings`: the reminder settings modal, filled with the user's current choices. */
async function openSettings(args: CommandArgs, deps: ListenerDeps) {
  const { ack, command } = args;
  await ack();
  const settings = await reminderSettingsOf(deps.db, commandOwner(command));
  await openModal(args, buildSettingsModal(settings, await askPurposeOf(deps.db, commandOwner(command))));
  await latestTimeZone(deps.db, slackUserDirectory(args.client), commandOwner(command), deps.clock.now(), deps.logger);
}

/** `/infoview debrief`: pick a recent meeting without a debrief, or log a conversation that was not scheduled. */
async function openDebrief(args: CommandArgs, deps: ListenerDeps) {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = (await storedTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
  const choices = await meetingsToDebrief(deps.db, owner, now, 100);
  const today = DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
  await openModal(args, buildDebriefModal({ mode: 'choose', choices, zone, today }));
  await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
}

/** `/infoview questions [category]`: the question bank, or one category of it. */
async function openQuestions(args: CommandArgs, deps: ListenerDeps, category: string) {
  const { ack, command } = args;
  const found = findCategory(category);
  if (category !== '' && found === undefined) {
    await ack({
      response_type: 'ephemeral',
      text: `There is no category "${truncate(category.replace(/[`&<>]/g, ''), 40)}". Try one of: ${QUESTION_BANK.map((c) => c.id).join(', ')}.`,
    });
    return;
  }
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const zone = (await storedTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
  const view = buildQuestionsModal({
    ...(found ? { categories: [found] } : {}),
    own: await ownQuestions(deps.db, owner),
    meetings: await listUpcomingMeetings(deps.db, owner, now, 100),
    zone,
  });
  await openModal(args, view);
}

/** `/infoview export`: CSV files and a JSON file of everything the user has, in their DM. */
async function exportData({ ack, command, client, respond }: CommandArgs, deps: ListenerDeps) {
  await ack({
    response_type: 'ephemeral',
    text: 'Preparing your export: it will arrive in your DM with infoview in a moment.',
  });
  const owner = commandOwner(command);
  const now = deps.clock.now();
  try {
    const exported = await exportUserData(deps.db, owner, now);
    const { contacts, meetings, adviceItems } = exported.counts;
    const comment = `Your infoview data: ${contacts} contacts, ${meetings} meetings (with debriefs) and ${adviceItems} advice items as CSV for a spreadsheet, and everything as JSON.`;
    await sendFilesToUser(client, deps.db, owner, exported.files, comment, now);
  } catch (error) {
    // Not left at "Preparing…": the user hears that it failed and that nothing was lost.
    deps.logger.error(`export for ${owner.teamId}/${owner.userId} failed`, error);
    await respond({
      response_type: 'ephemeral',
      text: 'Your export could not be delivered (Slack did not take the files). Nothing was changed: please try `/infoview export` again in a few minutes.',
    });
  }
}

/** `/infoview delete-my-data`: a confirmation saying what will be deleted; the modal's submission deletes. */
async function confirmDeleteMyData(args: CommandArgs, deps: ListenerDeps) {
  const { ack, command } = args;
  await ack();
  await openModal(args, buildDeleteMyDataModal(await countUserData(deps.db, commandOwner(command))));
}

/** `/infoview ask [name]`: the ask modal for the one contact of that name, else a picker saying why. */
async function openAsk(args: CommandArgs, deps: ListenerDeps, name: string) {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const matches = name === '' ? [] : await contactsCalled(deps.db, owner, name, 4);
  if (matches.length === 1) {
    const start = await startAsk(
      deps.db,
      owner,
      (matches[0] as Contact).id,
      await storedTimeZoneOrUtc(deps.db, owner),
      now,
    );
    await openModal(
      args,
      buildAskModal({ ...start, version: 0, directMessageUrl: directMessageLinkOf(owner.teamId, start.contact) }),
    );
  } else {
    const shown = truncate(name.replace(/[`&<>*_~]/g, ''), 60);
    const note =
      name === ''
        ? null
        : matches.length === 0
          ? `No contact called "${shown}": pick one, or add them with \`/infoview contact\` first.`
          : `Several contacts are called "${shown}": pick the one you mean.`;
    await openModal(args, buildAskPickModal({ note, contact: null }));
  }
  await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
}

/** `/infoview holidays`: the workspace's holidays; after the modal opens, Slack says whether the user may edit them. */
async function openHolidays(args: CommandArgs, deps: ListenerDeps) {
  const { ack, command, client } = args;
  await ack();
  const owner = commandOwner(command);
  const now = deps.clock.now();
  const today = localDay(now, 'UTC');
  const days = await workspaceHolidays(deps.db, owner.teamId, today);
  const known = await knownAdmin(deps.db, owner);
  const opened = await openModal(args, buildHolidaysModal({ days, canEdit: known }));
  if (opened === null) return;
  // Whether they are an admin, from Slack now that the modal is open; the submission trusts only this answer.
  const isAdmin = await refreshAdmin(client, deps.db, owner, now, deps.logger);
  if (isAdmin !== null && isAdmin !== known && opened.id) {
    // With the hash: a user already typing is not overwritten (hash_conflict); their submission is checked anyway.
    await updateModal(
      client,
      { id: opened.id, hash: opened.hash },
      buildHolidaysModal({ days, canEdit: isAdmin }),
    ).catch(() => undefined);
  }
}
