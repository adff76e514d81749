import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/database.js';
import { findSlackUser, saveDmChannel } from '../db/repositories/slack-users-repository.js';
import type { Owner } from '../domain/types.js';
import { toDbInstant } from '../lib/zoned-time.js';
import type { OutgoingMessage } from './ui/messages/meeting-messages.js';

/**
 * Posts a DM from the app to the user. The DM channel comes from conversations.open (scope im:write) once and is
 * remembered, so each later DM is one call.
 */
export async function sendDirectMessage(
  client: WebClient,
  db: Db,
  owner: Owner,
  message: OutgoingMessage,
  now: Date,
): Promise<{ channel: string; ts: string }> {
  const channel = await openDirectMessage(client, db, owner, now);
  const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  return { channel, ts: posted.ts ?? '' };
}

/** The app's DM channel with the user: remembered, else conversations.open (scope im:write) once. */
export async function openDirectMessage(client: WebClient, db: Db, owner: Owner, now: Date): Promise<string> {
  const known = (await findSlackUser(db, owner))?.dmChannelId;
  if (known) return known;
  const opened = await client.conversations.open({ users: owner.userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open returned no channel for ${owner.userId}`);
  await saveDmChannel(db, owner, channel, toDbInstant(now));
  return channel;
}

/**
 * Uploads files (text, or bytes as a Buffer; an image may carry its alt text for screen readers) to the user's DM with
 * the app (files.uploadV2, scope files:write), with a comment above them.
 * Returns the uploaded files' ids (and permalinks where files.completeUploadExternal gave them), in upload order.
 */
export async function sendFilesToUser(
  client: WebClient,
  db: Db,
  owner: Owner,
  files: { filename: string; content: string | Buffer; title?: string; altText?: string }[],
  comment: string,
  now: Date,
): Promise<{ id: string; permalink: string | null }[]> {
  const channel = await openDirectMessage(client, db, owner, now);
  const result = await client.files.uploadV2({
    channel_id: channel,
    initial_comment: comment,
    file_uploads: files.map((file) => ({
      file: typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content,
      filename: file.filename,
      title: file.title ?? file.filename,
      ...(file.altText === undefined ? {} : { alt_text: file.altText }),
    })),
  });
  const completions = ((result as { files?: { files?: { id?: string; permalink?: string }[] }[] }).files ?? []).flatMap(
    (done) => done.files ?? [],
  );
  return completions
    .filter((file) => file.id !== undefined)
    .map((file) => ({ id: file.id as string, permalink: file.permalink ?? null }));
}
