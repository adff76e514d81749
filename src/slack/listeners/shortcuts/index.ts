import type { ListenerDeps } from '../../../deps.js';
import type { ListenerRegistry } from '../listener-router.js';
import { registerGlobalShortcuts } from './global-shortcuts.js';
import { registerMessagePeopleActions } from './message-people-actions.js';
import { registerMessageShortcut } from './message-shortcut.js';

/** The shortcuts manifest.yml declares (`features.shortcuts`), and the buttons of the view the message one opens. */
export function registerShortcuts(app: Pick<ListenerRegistry, 'shortcut' | 'action'>, deps: ListenerDeps): void {
  registerMessageShortcut(app, deps);
  registerGlobalShortcuts(app, deps);
  registerMessagePeopleActions(app, deps);
}
