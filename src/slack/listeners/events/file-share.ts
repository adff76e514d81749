import { z } from 'zod';
import type { ListenerDeps } from '../../../deps.js';
import { previewImport } from '../../../domain/contacts/import/import-service.js';
import { onceForEvent } from '../../../domain/event-once.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { downloadOwnFile } from '../../import-download.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildSharedFilePreview, buildSharedFileProblem } from '../../ui/messages/import-messages.js';
import type { ListenerRegistry } from '../listener-router.js';

/** A person's message in the app's DM with a file (Slack's `file_share` subtype); bots' messages are not this. */
const sharedFile = z.object({
  subtype: z.literal('file_share'),
  channel_type: z.literal('im'),
  user: z.string(),
  bot_id: z.undefined().optional(),
  files: z.array(z.object({ id: z.string() })).min(1),
});

/**
 * A file shared in infoview's DM is read as contacts: the reply is the same preview as the form's (counts, the
 * first unreadable line) with an Import button, or the one sentence saying why it cannot be imported. Slack's
 * redelivery of the same event (its id recorded the first time) posts nothing more, unless the first handling failed.
 */
export function registerFileShare(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.event('message', async ({ event, body, client, context }) => {
    const shared = sharedFile.safeParse(event);
    if (!shared.success) return;
    const deps = requestDeps(appDeps, context);
    const owner = { teamId: body.team_id, userId: shared.data.user };
    const fileId = (shared.data.files[0] as { id: string }).id;
    const eventId = 'event_id' in body && typeof body.event_id === 'string' ? body.event_id : undefined;
    await onceForEvent(deps.db, { teamId: owner.teamId, eventId }, deps.clock.now(), async () => {
      const file = await downloadOwnFile(client, owner, fileId);
      const preview = file.ok ? await previewImport(deps.db, owner, file.bytes) : file;
      const message =
        file.ok && preview.ok
          ? buildSharedFilePreview(preview.summary, { fileId, digest: file.digest })
          : buildSharedFileProblem(preview.ok ? '' : preview.problem);
      await sendDirectMessage(client, deps.db, owner, message, deps.clock.now());
    });
  });
}
