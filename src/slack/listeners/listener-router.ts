import {
  type ActionConstraints,
  type AllMiddlewareArgs,
  type App,
  type Middleware,
  MultipleListenerError,
  type OptionsConstraints,
  type OptionsSource,
  type SlackAction,
  type SlackActionMiddlewareArgs,
  type SlackOptionsMiddlewareArgs,
  type SlackViewMiddlewareArgs,
  type ViewConstraints,
} from '@slack/bolt';

// A speed mechanism: its ledger entry is "The listener router" in docs/performance.md.

/** What the listener files register with: Bolt's own signatures, so they read as they would on an App. */
export type ListenerRegistry = Pick<App, 'action' | 'view' | 'options' | 'event' | 'command' | 'shortcut'>;

/**
 * Bolt runs every listener's matcher chain for every request (an array copy, a closure and a copy of the
 * arguments per listener, dozens per request). This registry keeps the actions, view submissions and options
 * requests in tables keyed by action_id / callback_id and gives Bolt one listener per kind, which runs only
 * the listeners whose ID matches. Behaviour is Bolt's: every matching listener runs, a RegExp match is put in
 * `context.actionIdMatches` / `context.callbackIdMatches`, one error is rethrown as is and several as
 * MultipleListenerError. Constraints other than a plain ID (block_id, an object) go to Bolt unchanged.
 */
export function routeListeners(app: App): ListenerRegistry {
  return new ListenerRouter(app);
}

/**
 * Its methods take Bolt's listeners as Bolt does: `app.action<BlockButtonAction>(id, listener)` hands over a listener
 * of a narrower payload than the table's, which TypeScript accepts of a method parameter (as Bolt's own App does).
 */
class ListenerRouter implements ListenerRegistry {
  private readonly actions = new ListenerTable<SlackActionMiddlewareArgs>('actionIdMatches');
  private readonly views = new ListenerTable<SlackViewMiddlewareArgs>('callbackIdMatches');
  private readonly optionsRequests = new ListenerTable<SlackOptionsMiddlewareArgs>('actionIdMatches');
  readonly event: App['event'];
  readonly command: App['command'];
  /** Shortcuts are few (one listener each) and come one per click: Bolt matches them itself. */
  readonly shortcut: App['shortcut'];

  constructor(private readonly app: App) {
    this.event = app.event.bind(app);
    this.command = app.command.bind(app);
    this.shortcut = app.shortcut.bind(app);
    app.action<SlackAction, ActionConstraints>({}, async (args) => {
      await this.actions.run('action_id' in args.payload ? args.payload.action_id : undefined, args);
    });
    app.options<OptionsSource>({}, async (args) => {
      await this.optionsRequests.run('action_id' in args.payload ? args.payload.action_id : undefined, args);
    });
    app.view({ type: 'view_submission' }, async (args) => {
      await this.views.run(args.view.callback_id, args);
    });
  }

  action(constraint: string | RegExp | ActionConstraints, ...listeners: Middleware<SlackActionMiddlewareArgs>[]): void {
    if (typeof constraint === 'string' || constraint instanceof RegExp) this.actions.add(constraint, listeners);
    else this.app.action(constraint, ...listeners);
  }

  options(
    constraint: string | RegExp | OptionsConstraints,
    ...listeners: Middleware<SlackOptionsMiddlewareArgs>[]
  ): void {
    if (typeof constraint === 'string' || constraint instanceof RegExp) this.optionsRequests.add(constraint, listeners);
    else this.app.options(constraint, ...listeners);
  }

  /** A bare callback_id means a view_submission (as in Bolt); view_closed and other constraints go to Bolt. */
  view(constraint: string | RegExp | ViewConstraints, ...listeners: Middleware<SlackViewMiddlewareArgs>[]): void {
    if (typeof constraint === 'string' || constraint instanceof RegExp) this.views.add(constraint, listeners);
    else this.app.view(constraint, ...listeners);
  }
}

/** The listeners of one kind of request, by ID; `matchesKey` is where a RegExp's match goes in the context. */
class ListenerTable<Args> {
  private readonly byId = new Map<string, Middleware<Args>[][]>();
  private readonly patterns: { pattern: RegExp; chain: Middleware<Args>[] }[] = [];

  constructor(private readonly matchesKey: 'actionIdMatches' | 'callbackIdMatches') {}

  add(id: string | RegExp, chain: Middleware<Args>[]): void {
    if (id instanceof RegExp) {
      this.patterns.push({ pattern: id, chain });
      return;
    }
    const chains = this.byId.get(id) ?? [];
    chains.push(chain);
    this.byId.set(id, chains);
  }

  async run(id: string | undefined, args: Args & AllMiddlewareArgs): Promise<void> {
    if (typeof id !== 'string') return;
    const chains = [...(this.byId.get(id) ?? [])];
    for (const { pattern, chain } of this.patterns) {
      const match = pattern.exec(id);
      if (match === null) continue;
      args.context[this.matchesKey] = match;
      chains.push(chain);
    }
    if (chains.length === 0) return;
    if (chains.length === 1) return runChain(chains[0] as Middleware<Args>[], args);
    const settled = await Promise.allSettled(chains.map((chain) => runChain(chain, args)));
    const failed = settled
      .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
      .map((s) => s.reason as Error);
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new MultipleListenerError(failed);
  }
}

/** Bolt's middleware chain: each function gets `next` to call the following one; the last gets a no-op. */
async function runChain<Args>(chain: Middleware<Args>[], args: Args & AllMiddlewareArgs): Promise<void> {
  const step = async (index: number): Promise<void> => {
    const listener = chain[index] as Middleware<Args>;
    const last = index === chain.length - 1;
    await listener({ ...args, next: last ? async () => {} : () => step(index + 1) });
  };
  await step(0);
}
