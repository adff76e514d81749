import type { ListenerDeps } from '../../../deps.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildHelp } from '../../ui/messages/help-messages.js';
import { openCentre, openShare } from '../consent/centre-command.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openAsk } from './ask-command.js';
import { openContactModal } from './contact-command.js';
import { showContacts } from './contacts-command.js';
import { openDebrief } from './debrief-command.js';
import { confirmDeleteMyData } from './delete-my-data-command.js';
import { exportData } from './export-command.js';
import { openHolidays } from './holidays-command.js';
import { openImport } from './import-command.js';
import { openQuestions } from './questions-command.js';
import { openScheduleModal } from './schedule-command.js';
import { openSettings } from './settings-command.js';
import type { Subcommand } from './subcommand.js';
import { showUpcoming } from './upcoming-command.js';

export const COMMAND = '/infoview';

/** "schedule Ada next Tuesday" -> ["schedule", "Ada next Tuesday"]. */
export function splitSubcommand(text: string): { subcommand: string; rest: string } {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return { subcommand: trimmed.toLowerCase(), rest: '' };
  return { subcommand: trimmed.slice(0, space).toLowerCase(), rest: trimmed.slice(space + 1).trim() };
}

const help: Subcommand = async ({ ack }) => ack(buildHelp());

/** Every subcommand, by the word the user types first; a Map, so "constructor" is not one. */
const SUBCOMMANDS = new Map<string, Subcommand>([
  ['schedule', openScheduleModal],
  ['upcoming', showUpcoming],
  ['contact', openContactModal],
  ['contacts', showContacts],
  ['import', openImport],
  ['settings', openSettings],
  ['debrief', openDebrief],
  ['questions', openQuestions],
  ['ask', openAsk],
  ['holidays', openHolidays],
  ['centre', openCentre],
  ['share', openShare],
  ['export', exportData],
  ['delete-my-data', confirmDeleteMyData],
  ['', help],
  ['help', help],
]);

/** `/infoview <subcommand> [rest]`; an unknown subcommand gets the help, saying it is unknown. */
export function registerInfoviewCommand(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.command(COMMAND, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    const { subcommand, rest } = splitSubcommand(args.command.text ?? '');
    const run = SUBCOMMANDS.get(subcommand);
    if (run === undefined) await args.ack(buildHelp(subcommand));
    else await run(args, deps, rest);
  });
}
