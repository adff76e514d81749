import { type App, MultipleListenerError } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { routeListeners } from '../../src/slack/listeners/listener-router.js';

type Listener = (args: Record<string, unknown>) => Promise<void>;

/** A stand-in for Bolt's App that keeps what was registered with it, by kind. */
function fakeBolt() {
  const registered: { kind: string; constraint: unknown; fns: Listener[] }[] = [];
  const record =
    (kind: string) =>
    (constraint: unknown, ...fns: Listener[]) =>
      void registered.push({ kind, constraint, fns });
  const app = {
    action: record('action'),
    view: record('view'),
    options: record('options'),
    event: record('event'),
    command: record('command'),
    shortcut: record('shortcut'),
  };
  const group = (kind: string) =>
    registered.find((r) => r.kind === kind && typeof r.constraint === 'object' && !(r.constraint instanceof RegExp))
      ?.fns[0] as Listener;
  return { app: app as unknown as App, registered, group };
}

const actionArgs = (actionId: string) => ({
  payload: { action_id: actionId },
  context: {} as Record<string, unknown>,
  next: async () => {},
});

describe('routeListeners', () => {
  it('gives Bolt one listener per kind and runs only the listeners whose ID matches, as Bolt would', async () => {
    const { app, registered, group } = fakeBolt();
    const routes = routeListeners(app);
    const ran: string[] = [];
    routes.action('a', async () => void ran.push('a'));
    routes.action('b', async () => void ran.push('b'));
    routes.action(
      /^(a|c)$/,
      async ({ context }) => void ran.push(`pattern ${String((context.actionIdMatches as string[])[1])}`),
    );
    routes.view('modal', async () => void ran.push('view'));
    expect(registered.map((r) => r.kind)).toEqual(['action', 'options', 'view']);

    await group('action')(actionArgs('a'));
    expect(ran).toEqual(['a', 'pattern a']);
    ran.length = 0;
    await group('action')(actionArgs('zzz'));
    expect(ran).toEqual([]);
    await group('view')({ view: { callback_id: 'modal' }, context: {}, next: async () => {} });
    expect(ran).toEqual(['view']);
  });

  it('runs middleware before the listener with next(), rethrows one error as is and several as one MultipleListenerError', async () => {
    const { app, group } = fakeBolt();
    const routes = routeListeners(app);
    const order: string[] = [];
    routes.action(
      'x',
      (async ({ next }: { next: () => Promise<void> }) => {
        order.push('middleware');
        await next();
      }) as never,
      (async () => void order.push('listener')) as never,
    );
    await group('action')(actionArgs('x'));
    expect(order).toEqual(['middleware', 'listener']);

    const boom = new Error('boom');
    routes.action('y', async () => Promise.reject(boom));
    await expect(group('action')(actionArgs('y'))).rejects.toBe(boom);
    routes.action(/^y$/, async () => Promise.reject(new Error('again')));
    await expect(group('action')(actionArgs('y'))).rejects.toBeInstanceOf(MultipleListenerError);
  });

  it('hands constraints it does not route (an object with block_id), events, commands and shortcuts to Bolt unchanged', () => {
    const { app, registered } = fakeBolt();
    const routes = routeListeners(app);
    routes.action({ action_id: 'a', block_id: 'b' }, async () => {});
    routes.event('app_home_opened', async () => {});
    routes.command('/infoview', async () => {});
    routes.shortcut({ callback_id: 's', type: 'message_action' }, async () => {});
    expect(registered.slice(3).map((r) => [r.kind, r.constraint])).toEqual([
      ['action', { action_id: 'a', block_id: 'b' }],
      ['event', 'app_home_opened'],
      ['command', '/infoview'],
      ['shortcut', { callback_id: 's', type: 'message_action' }],
    ]);
  });
});
