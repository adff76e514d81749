import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { drainDueReminders, type TickReport } from '../../src/engine/index.js';
import { createInfoview } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';
import { EVENTS_PATH } from '../../src/slack/app.js';
import type { FakeClock } from './fake-clock.js';
import type { FakeSlack, OAuthGrant, RecordedCall } from './fake-slack.js';
import { slashCommand } from './payloads.js';
import { formBody, postSigned } from './signing.js';

// Replicas of the app with OAuth installs, in this process, on one database, one fake Slack and one clock: what two
// web replicas behind a load balancer share. Used by the token rotation tests.

export const REPLICA_SECRET = 'replica-signing-secret-0123456789';
export const OAUTH = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-for-tests',
  SLACK_STATE_SECRET: 'state-secret-for-the-tests-0123',
  INFOVIEW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

export type Replica = Awaited<ReturnType<typeof startReplica>>;

/** One replica (role `all`, HTTP mode) on `databaseUrl`; the engine runs only when the test ticks it. */
export async function startReplica(fake: FakeSlack, clock: FakeClock, databaseUrl: string) {
  const config = loadConfig({
    ...OAUTH,
    SLACK_SIGNING_SECRET: REPLICA_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'warn',
  });
  const logs: string[] = [];
  const logger = createLogger({ level: config.logLevel, write: (line) => logs.push(line) });
  const infoview = await createInfoview(config, {
    clock,
    logger,
    trigger: false,
    random: () => 0.5,
    sleep: async (ms) => clock.advance(ms),
  });
  const { port } = await infoview.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    db: infoview.deps.db,
    store: infoview.deps.installations,
    logs,
    /** `/infoview <text>` from a user of `teamId`, signed. */
    command: (text: string, who: { teamId: string; userId: string }) =>
      postSigned(
        `${baseUrl}${EVENTS_PATH}`,
        REPLICA_SECRET,
        formBody(slashCommand({ text, responseUrl: fake.responseUrl(), ...who })),
      ),
    /** Waits until every listener run has finished (an event, not a duration). */
    settle: async () => {
      while ((await infoview.inFlight.drain(60_000)) > 0);
    },
    tick: (): Promise<TickReport> => drainDueReminders(infoview.engine),
    stop: () => infoview.stop(),
  };
}

/** Installs through the replica's real routes (install page, state cookie, redirect), as a browser would. */
export async function installThrough(replica: Replica, fake: FakeSlack, grant: OAuthGrant): Promise<number> {
  const page = await fetch(`${replica.baseUrl}/slack/install`);
  const html = await page.text();
  const href = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? 'about:blank';
  const state = new URL(href).searchParams.get('state') ?? '';
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const code = `code-${randomBytes(6).toString('hex')}`;
  fake.oauthCodes.set(code, grant);
  const res = await fetch(`${replica.baseUrl}/slack/oauth_redirect?${new URLSearchParams({ code, state })}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  await res.text();
  return res.status;
}

/** A refresh Slack was asked for: the refresh token spent, and what the fake answered ("ok" or the error). */
export interface RefreshCall {
  refreshToken: string;
  answer: string;
}

/**
 * Records every refresh (oauth.v2.access with grant_type refresh_token) the fake answers as Slack would, each refresh
 * token working once; `next(n)` resolves once the n-th refresh has arrived at the fake (before it is answered).
 */
export function recordRefreshes(fake: FakeSlack) {
  const calls: RefreshCall[] = [];
  let arrived = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  fake.on('oauth.v2.access', (call: RecordedCall) => {
    const isRefresh = call.body.grant_type === 'refresh_token';
    if (isRefresh) {
      arrived += 1;
      for (const waiter of waiters.filter((w) => w.n <= arrived)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    const answer = fake.asSlack(call);
    if (isRefresh)
      calls.push({
        refreshToken: String(call.body.refresh_token),
        answer: answer.ok === true ? 'ok' : String(answer.error),
      });
    return answer;
  });
  return {
    calls,
    arrivedAt: (n: number) =>
      new Promise<void>((resolve) => {
        if (arrived >= n) resolve();
        else waiters.push({ n, resolve });
      }),
  };
}

export const tokenOf = (call: { authorization?: string | undefined }) =>
  String(call.authorization ?? '').replace('Bearer ', '');

/** A meeting of this user's starting at `startsAt`, planned as the schedule form would: a prep tip a day before. */
export async function scheduleFor(
  replica: Replica,
  fake: FakeSlack,
  clock: FakeClock,
  user: { teamId: string; userId: string },
  startsAt: Date,
) {
  fake.on('conversations.open', (call) => ({ ok: true, channel: { id: `D${String(call.body.users)}` } }));
  await scheduleMeeting(
    replica.db,
    user,
    {
      contactId: null,
      contact: { name: 'Ada Lovelace', pronunciation: null, title: null, company: null },
      plan: { startsAt, durationMinutes: 30, location: null, goal: null, questions: null },
    },
    { now: clock.now(), timeZone: 'UTC', sourceViewId: null },
  );
}
