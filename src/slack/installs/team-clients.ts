import type { WebClient, WebClientOptions } from '@slack/web-api';
import { BACKGROUND_CLIENTS, ClientLru, sharedWebClient, tokenClient } from './bounded-clients.js';
import type { SealedInstallationStore } from './installation-store.js';

/**
 * The Web API client to use for a workspace, for what no request carries a token for (reminders, Home tabs published
 * after a request): with one bot token, always its client; with OAuth installs, a client with the token of the
 * workspace's installation (or its organisation's), never another workspace's.
 */
export interface TeamClients {
  forTeam(teamId: string): Promise<WebClient>;
}

export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
}

export function singleTokenClients(client: WebClient): TeamClients {
  return { forTeam: async () => client };
}

/**
 * Clients by token, made on first use (a token rotated or re-installed is a new client); the `max` most recently used
 * kept (docs/performance.md, "Bounded WebClients").
 */
export class InstalledTeamClients implements TeamClients {
  private readonly clients: ClientLru;
  private readonly shared: WebClient;

  constructor(
    private readonly store: Pick<SealedInstallationStore, 'botTokenForTeam'>,
    options: WebClientOptions,
    max = BACKGROUND_CLIENTS,
  ) {
    this.clients = new ClientLru(max);
    this.shared = sharedWebClient(options);
  }

  async forTeam(teamId: string): Promise<WebClient> {
    const token = await this.store.botTokenForTeam(teamId);
    if (token === undefined) throw new NotInstalledError(`workspace ${teamId} has no installation`);
    return this.clients.getOrCreate(token, () => tokenClient(this.shared, token));
  }
}
