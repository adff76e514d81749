import { type App, MultipleListenerError } from '@slack/bolt';

/** What the listener files register with: Bolt's own signatures, so they read as they would on an App. */
export type ListenerRegistry = Pick<App, 'action' | 'view' | 'options' | 'event' | 'command'>;

// Bolt's middleware and listener functions, as Bolt calls them (args with `next`).
type Fn = (args: Record<string, unknown> & { next: () => Promise<void> }) => unknown;

interface Table {
  byId: Map<string, Fn[][]>;
  patterns: { pattern: RegExp; fns: Fn[] }[];
}

const table = (): Table => ({ byId: new Map(), patterns: [] });

/**
 * Bolt runs every listener's matcher chain for every request (an array copy, a closure and a copy of the
 * arguments per listener, dozens per request). This registry keeps the actions, view submissions and options
 * requests in tables keyed by action_id / callback_id and gives Bolt one listener per kind, which runs only
 * the listeners whose ID matches. Behaviour is Bolt's: every matching listener runs, a RegExp match is put in
 * `context.actionIdMatches` / `context.callbackIdMatches`, one error is rethrown as is and several as
 * MultipleListenerError. Constraints other than a plain ID (block_id, an object) go to Bolt unchanged.
 */
export function routeListeners(app: App): ListenerRegistry {
  const actions = table();
  const views = table();
  const options = table();
  const add = (into: Table, id: unknown, fns: unknown[]): boolean => {
    if (typeof id === 'string') {
      const list = into.byId.get(id) ?? [];
      list.push(fns as Fn[]);
      into.byId.set(id, list);
      return true;
    }
    if (id instanceof RegExp) {
      into.patterns.push({ pattern: id, fns: fns as Fn[] });
      return true;
    }
    return false;
  };

  app.action({}, async (args) => {
    const id = (args.payload as { action_id?: unknown }).action_id;
    await runMatching(actions, id, args as unknown as Record<string, unknown>, 'actionIdMatches');
  });
  app.options({}, async (args) => {
    const id = (args.payload as { action_id?: unknown }).action_id;
    await runMatching(options, id, args as unknown as Record<string, unknown>, 'actionIdMatches');
  });
  app.view({ type: 'view_submission' }, async (args) => {
    await runMatching(views, args.view.callback_id, args as unknown as Record<string, unknown>, 'callbackIdMatches');
  });

  const registry = {
    action: (constraint: unknown, ...fns: unknown[]) => {
      if (!add(actions, constraint, fns)) (app.action as (...a: unknown[]) => void)(constraint, ...fns);
    },
    options: (constraint: unknown, ...fns: unknown[]) => {
      if (!add(options, constraint, fns)) (app.options as (...a: unknown[]) => void)(constraint, ...fns);
    },
    // A bare callback_id means a view_submission (as in Bolt); view_closed and other constraints go to Bolt.
    view: (constraint: unknown, ...fns: unknown[]) => {
      if (!add(views, constraint, fns)) (app.view as (...a: unknown[]) => void)(constraint, ...fns);
    },
    event: app.event.bind(app),
    command: app.command.bind(app),
  };
  return registry as unknown as ListenerRegistry;
}

async function runMatching(into: Table, id: unknown, args: Record<string, unknown>, matchesKey: string): Promise<void> {
  if (typeof id !== 'string') return;
  const chains: Fn[][] = [...(into.byId.get(id) ?? [])];
  for (const { pattern, fns } of into.patterns) {
    const match = pattern.exec(id);
    if (match === null) continue;
    (args.context as Record<string, unknown>)[matchesKey] = match;
    chains.push(fns);
  }
  if (chains.length === 0) return;
  if (chains.length === 1) return runChain(chains[0] as Fn[], args);
  const settled = await Promise.allSettled(chains.map((fns) => runChain(fns, args)));
  const failed = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => s.reason as Error);
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new MultipleListenerError(failed);
}

/** Bolt's middleware chain: each function gets `next` to call the following one; the last gets a no-op. */
async function runChain(fns: Fn[], args: Record<string, unknown>): Promise<void> {
  const step = async (index: number): Promise<void> => {
    const fn = fns[index] as Fn;
    const last = index === fns.length - 1;
    await fn({ ...args, next: last ? async () => {} : () => step(index + 1) });
  };
  await step(0);
}
