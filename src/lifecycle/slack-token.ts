import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { platformErrorCode } from '../slack/web-api/web-api-errors.js';
import { type Part, StartError } from './part.js';

/** What this process has learned of Slack since it started: read by readiness and by the parts started after. */
export class SlackStatus {
  /** Slack's answer when it refused the bot token at start, else null. */
  rejectedToken: string | null = null;
  /** Socket Mode: whether the connection to Slack is open. */
  socketOpen = false;
}

/** auth.test answers that are Slack's trouble, not the token's (Slack's docs: retry them later). */
const SLACK_SIDE_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Asks Slack whether the bot token works, before anything serves: the Slack app's init (auth.test), or the engine's
 * own auth.test where Bolt is not loaded; nothing with OAuth installs, which have no one token to check. Slack's own
 * trouble, or no answer, stops the start; a refused token is recorded in `status` and the app only keeps house.
 */
export class SlackTokenCheck implements Part {
  readonly name = 'slack token';

  constructor(
    private readonly check: (() => Promise<unknown>) | null,
    private readonly status: SlackStatus,
    private readonly config: Pick<Config, 'slackApiUrl'>,
    private readonly logger: Logger,
    /** What the refusal stops, for the log. */
    private readonly runs: { slack: boolean; engine: boolean },
  ) {}

  async start(): Promise<void> {
    try {
      await this.check?.();
    } catch (error) {
      const code = platformErrorCode(error);
      if (code === undefined)
        throw new StartError(
          `could not reach Slack's Web API at ${this.config.slackApiUrl ?? 'https://slack.com/api/'} (${(error as Error).message})`,
        );
      // Slack's own trouble says nothing of the token: stop (a restart asks again) rather than serve nothing for good.
      if (SLACK_SIDE_ERRORS.has(code))
        throw new StartError(`Slack's Web API could not check SLACK_BOT_TOKEN (${code}): try again shortly`);
      // A revoked or invalid token (the workspace uninstalled the app, say) must not stop housekeeping: the data
      // of an uninstalled workspace is still purged when its retention period ends.
      this.status.rejectedToken = code;
      const { slack, engine } = this.runs;
      this.logger.error(
        `Slack did not accept SLACK_BOT_TOKEN (${code}): ${[slack && 'not serving Slack', engine && 'not sending reminders'].filter(Boolean).join(' and ')}${engine ? '; purging uninstalled workspaces goes on' : ''}. See README.md "Configuration"`,
      );
    }
  }

  async stop(): Promise<void> {}
}
