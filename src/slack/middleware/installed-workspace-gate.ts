import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import type { InstalledWorkspace } from '../installs/installed-workspace.js';
import { requestLog } from './request-logger.js';

/**
 * With one bot token, only the workspace (or Enterprise Grid organisation) whose token this is may use the app: any
 * other request is acked and dropped before a listener sees it. auth.test says which it is; until it has answered,
 * every request is refused (a failed auth.test is retried in the background), and a request waits for an attempt
 * under way. (With OAuth installs, Bolt's authorize has refused any workspace without an installation before this.)
 */
export function installedWorkspaceGate(installed: InstalledWorkspace, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next } = args;
    const workspace = await installed.current();
    const fromInstalled =
      workspace !== null &&
      ((context.teamId !== undefined && context.teamId === workspace.teamId) ||
        (context.enterpriseId !== undefined &&
          workspace.enterpriseId !== null &&
          context.enterpriseId === workspace.enterpriseId));
    if (fromInstalled) return next();
    requestLog(context, logger).warn(
      `refused a request from workspace ${context.teamId ?? context.enterpriseId ?? 'unknown'}: ${workspace === null ? 'the installed workspace is not known yet (auth.test failed; retrying)' : 'not the installed workspace'}`,
    );
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
