import { WebClient, type WebClientOptions } from '@slack/web-api';
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

/** Clients by token, made on first use (a token rotated or re-installed is a new client); the MAX most recently used kept. */
export class InstalledTeamClients implements TeamClients {
  private static readonly MAX = 2_000;
  private readonly clients = new Map<string, WebClient>();

  constructor(
    private readonly store: Pick<SealedInstallationStore, 'botTokenForTeam'>,
    private readonly options: WebClientOptions,
  ) {}

  async forTeam(teamId: string): Promise<WebClient> {
    const token = await this.store.botTokenForTeam(teamId);
    if (token === undefined) throw new NotInstalledError(`workspace ${teamId} has no installation`);
    let client = this.clients.get(token);
    if (client === undefined) {
      if (this.clients.size >= InstalledTeamClients.MAX)
        this.clients.delete(this.clients.keys().next().value as string);
      client = new WebClient(token, this.options);
    } else this.clients.delete(token);
    // Most recently used last: the one dropped when full is the least recently used.
    this.clients.set(token, client);
    return client;
  }
}
