import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** One `/infoview <subcommand> [rest]`: acks (within 3 seconds), then answers the user. */
export type Subcommand = (args: CommandArgs, deps: ListenerDeps, rest: string) => Promise<void>;
