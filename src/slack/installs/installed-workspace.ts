import type { Logger } from '@slack/bolt';
import { pausePoint } from '../../lib/pause-points.js';

/** The workspace (or Enterprise Grid organisation) the one bot token belongs to, as auth.test says. */
export interface Workspace {
  readonly teamId: string | null;
  readonly enterpriseId: string | null;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/** Waits without keeping the process alive (a retry pending at shutdown must not hold the exit). */
export function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * With one bot token, which workspace may use the app. Until auth.test has answered, no workspace may (fail closed):
 * a failed auth.test is retried with backoff (1 s doubling to 5 min) in the background, never holding up the start.
 * A request that arrives while an attempt is under way waits for it.
 */
export class InstalledWorkspace {
  private workspace: Workspace | null = null;
  private attempt: Promise<void> | null = null;
  private started = false;
  private stopped = false;
  private answer!: (workspace: Workspace) => void;
  /** Settles when auth.test first answers; never, if it never does. */
  readonly answered: Promise<Workspace> = new Promise((resolve) => {
    this.answer = resolve;
  });

  constructor(
    private readonly ask: () => Promise<Workspace>,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
  ) {}

  /** Asks Slack, and keeps asking after a failure until it answers (or `stop()`). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
  }

  /** The installed workspace; null while it is not known (the request is refused). */
  async current(): Promise<Workspace | null> {
    if (this.attempt !== null) await this.attempt;
    return this.workspace;
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopped; failures++) {
      this.attempt = this.ask().then(
        (workspace) => {
          this.workspace = workspace;
          this.answer(workspace);
          if (failures > 0) this.logger.info('auth.test answered: serving the installed workspace again');
        },
        (error: unknown) => {
          this.logger.warn(
            `auth.test failed (${(error as Error).message}): refusing every request until it answers; retrying`,
          );
        },
      );
      await this.attempt;
      this.attempt = null;
      if (this.workspace !== null) return;
      await pausePoint('slack:installed-workspace-retry', failures + 1);
      await this.sleep(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures));
    }
  }
}
