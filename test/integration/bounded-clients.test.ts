import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/oauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKGROUND_CLIENTS, BOLT_CLIENTS } from '../../src/slack/installs/bounded-clients.js';
import { InstalledTeamClients } from '../../src/slack/installs/team-clients.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';

// Issue 30: the WebClients kept per workspace token are bounded (docs/performance.md, "Bounded WebClients"). Bolt's
// own pool is replaced inside its App: if a Bolt release stops reading it, the count of live clients here falls to 0.

const OAUTH = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-for-tests',
  SLACK_STATE_SECRET: 'state-secret-for-the-tests-0123',
  INFOVIEW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};
const teamOf = (i: number) => `TB${String(i).padStart(4, '0')}`;
const tokenOf = (i: number, generation = 0) => `xoxb-${teamOf(i)}-bounded-${generation}`;
/** What Bolt's OAuth flow stores for a workspace install. */
const installation = (i: number, token = tokenOf(i)): Installation<'v2', false> => ({
  team: { id: teamOf(i), name: `Workspace ${i}` },
  enterprise: undefined,
  user: { id: `UINST${i}`, token: undefined, scopes: undefined },
  bot: { token, scopes: ['commands', 'chat:write'], id: `BB${i}`, userId: `UB${i}` },
  appId: 'A0TEST0001',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH });
});
afterEach(async () => {
  await h.stop();
});

describe('bounded WebClients', () => {
  it('Bolt keeps at most BOLT_CLIENTS clients over more workspaces; each modal opens with its own token, a rotated one with the new', async () => {
    const store = must(h.deps.installations, 'the installation store');
    const count = BOLT_CLIENTS + 10;
    for (let i = 0; i < count; i++) await store.storeInstallation(installation(i));
    const openedWith = async (i: number) => {
      expect((await h.command('schedule', { teamId: teamOf(i), userId: `U${i}` })).status).toBe(200);
      await h.settle();
      return h.fake.callsTo('views.open').at(-1)?.authorization;
    };
    for (let i = 0; i < count; i++) expect(await openedWith(i)).toBe(`Bearer ${tokenOf(i)}`);
    const clients = must(h.infoview.slack, 'the Slack app').clients;
    expect(clients.size).toBe(BOLT_CLIENTS);

    // A reinstall with a new token: the next request's client carries the new one (a client per token).
    await store.storeInstallation(installation(count - 1, tokenOf(count - 1, 1)));
    expect(await openedWith(count - 1)).toBe(`Bearer ${tokenOf(count - 1, 1)}`);
    // The first workspace's client was dropped long ago: made again, with its own token.
    expect(await openedWith(0)).toBe(`Bearer ${tokenOf(0)}`);
    expect(clients.size).toBe(BOLT_CLIENTS);
  });

  it('the engine and the Home publisher keep the BACKGROUND_CLIENTS most recently used, a client per token', async () => {
    const clients = new InstalledTeamClients({ botTokenForTeam: async (team) => `xoxb-${team}` }, {});
    const first = await clients.forTeam('T0');
    for (let i = 1; i <= BACKGROUND_CLIENTS; i++) await clients.forTeam(`T${i}`);
    const latest = await clients.forTeam(`T${BACKGROUND_CLIENTS}`);
    expect(await clients.forTeam(`T${BACKGROUND_CLIENTS}`)).toBe(latest);
    const again = await clients.forTeam('T0');
    expect(again).not.toBe(first);
    expect(again.token).toBe('xoxb-T0');
  });
});
