import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

// Bounded WebClients (docs/performance.md, "Bounded WebClients"): a WebClient costs about 26 KB of heap (its few
// hundred bound methods, its queue, its logger), and Bolt keeps one per workspace token for ever, so 10,000 OAuth
// workspaces held about 400 MB. The clients in use stay alive through their callers; only idle ones are dropped.

/** WebClients Bolt hands listeners: a miss costs about 0.25 ms of CPU (a new client), a client about 36 KB of RSS. */
export const BOLT_CLIENTS = 250;
/** WebClients of the engine and of the Home publisher, each (what no request carries a token for). */
export const BACKGROUND_CLIENTS = 250;

/** WebClients by key, made on first use; the `max` most recently used kept. */
export class ClientLru {
  private readonly clients = new Map<string, WebClient>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.clients.size;
  }

  getOrCreate(key: string, make: () => WebClient): WebClient {
    let client = this.clients.get(key);
    if (client === undefined) {
      client = make();
      if (this.clients.size >= this.max) this.clients.delete(this.clients.keys().next().value as string);
    } else this.clients.delete(key);
    // Most recently used last: the one dropped when full is the least recently used.
    this.clients.set(key, client);
    return client;
  }
}

/**
 * Makes Bolt take its per-token clients from `lru`. Bolt 5 (App.js `processEvent`, before any middleware) reads its
 * private `clients[teamId or enterpriseId]`, a pool it fills with `getOrCreate(token, options)` and never empties;
 * here every such lookup answers a pool backed by `lru`, keyed by everything the client is made with (the workspace
 * Bolt adds as `teamId`, the token). Throws at once if this Bolt has no such map (test/integration/bounded-clients).
 */
export function boundBoltClients(app: App, lru: ClientLru): void {
  const own: unknown = Reflect.get(app, 'clients');
  if (typeof own !== 'object' || own === null || Object.keys(own).length > 0)
    throw new Error('this Bolt keeps no empty `clients` map on its App: see src/slack/installs/bounded-clients.ts');
  const pool = (owner: string) => ({
    getOrCreate: (token: string, options: WebClientOptions) =>
      lru.getOrCreate(`${owner}/${options.teamId ?? ''}/${token}`, () => new WebClient(token, options)),
  });
  const pools = new Proxy(
    {},
    {
      get: (_target, owner) => (typeof owner === 'string' ? pool(owner) : undefined),
      // Bolt stores a new pool only when its lookup found none, which never happens here.
      set: () => true,
    },
  );
  Reflect.set(app, 'clients', pools);
}
