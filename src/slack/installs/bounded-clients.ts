import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

// Bounded WebClients (docs/performance.md, "Bounded WebClients"): a WebClient costs about 26 KB of heap (its few
// hundred bound methods, its queue, its logger), and Bolt keeps one per workspace token for ever, so 10,000 OAuth
// workspaces held about 400 MB. Here a workspace's client is a view of one shared client (a few hundred bytes), and
// the views are kept in an LRU. The clients in use stay alive through their callers; only idle ones are dropped.

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
  // Bolt's options are the same for every pool but for the workspace it adds (`teamId`): one shared client for all.
  let shared: WebClient | undefined;
  const pool = (owner: string) => ({
    getOrCreate: (token: string, options: WebClientOptions) =>
      lru.getOrCreate(`${owner}/${options.teamId ?? ''}/${token}`, () => {
        shared ??= sharedWebClient(options);
        return tokenClient(shared, token, options.teamId);
      }),
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

/** Requests in flight at once through one shared client: its views serve every workspace (a WebClient's own is 100). */
const SHARED_CONCURRENCY = 1_000;

/** The client the views of `tokenClient` share: `options` without a token or a workspace. */
export function sharedWebClient(options: WebClientOptions): WebClient {
  const { teamId: _workspace, ...rest } = options;
  const concurrency = Math.max(rest.maxRequestConcurrency ?? 100, SHARED_CONCURRENCY);
  return new WebClient(undefined, { ...rest, maxRequestConcurrency: concurrency });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
/**
 * The names of a WebClient's method namespaces (`chat`, `views`, `admin`…): of a WebClient made with no options, the
 * plain objects holding only methods and namespaces (its headers, retry policy and logger are not).
 */
let namespaceNames: Set<string> | undefined;
const isNamespace = (key: string): boolean => {
  namespaceNames ??= new Set(
    Object.entries(new WebClient())
      .filter(([, value]) => isPlainObject(value))
      .filter(([, value]) => Object.values(value as object).every((v) => typeof v === 'function' || isPlainObject(v)))
      .map(([name]) => name),
  );
  return namespaceNames.has(key);
};

/**
 * A WebClient for `token` (and the workspace Bolt adds, `teamId`) that is a view of `shared`: what it reads of itself
 * is its own token, workspace and headers (the Authorization a WebClient made with the token sends), the rest is the
 * shared client's (its queue, logger, fetch, retries); every method (`chat.postMessage`, `filesUploadV2`, `paginate`)
 * runs WebClient's own code on the view. So a call goes out exactly as from `new WebClient(token, options)`.
 */
export function tokenClient(shared: WebClient, token: string, teamId?: string): WebClient {
  const headers: unknown = Reflect.get(shared, 'defaultHeaders');
  const own = new Map<PropertyKey, unknown>([
    ['token', token],
    ['teamId', teamId],
    ['defaultHeaders', { ...(headers as object), Authorization: `Bearer ${token}` }],
  ]);
  const namespaces = new Map<string, object>();
  const methods = (path: string, target: Record<string, unknown>): object => {
    let namespace = namespaces.get(path);
    if (namespace === undefined) {
      namespace = new Proxy(target, {
        get: (inner, key) => {
          const value: unknown = Reflect.get(inner, key);
          if (typeof key !== 'string') return value;
          // WebClient's apiCall as it is now (observability wraps it), on the view; apiCall('files.uploadV2') runs
          // filesUploadV2, as files.uploadV2 does.
          if (typeof value === 'function')
            return (options?: Record<string, unknown>) => view.apiCall(`${path}.${key}`, options);
          return typeof value === 'object' && value !== null
            ? methods(`${path}.${key}`, value as Record<string, unknown>)
            : value;
        },
      });
      namespaces.set(path, namespace);
    }
    return namespace;
  };
  const view: WebClient = new Proxy(shared, {
    get: (target, key) => {
      if (own.has(key)) return own.get(key);
      const value: unknown = Reflect.get(target, key);
      return typeof key === 'string' && isNamespace(key) ? methods(key, value as Record<string, unknown>) : value;
    },
    // What a caller sets is the view's own, never the shared client's.
    set: (_target, key, value) => {
      own.set(key, value);
      return true;
    },
  });
  return view;
}
