import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@slack/bolt';
import { DEFAULT_TICK_OPTIONS as T } from '../../src/engine/options.js';
import { Pacer, Slots } from '../../src/engine/pacing.js';
import { createEngineClient } from '../../src/slack/web-api/client-options.js';

// The floor of a delivered reminder's CPU (bench:postgres, phase 5): a child process that only posts the messages it
// is given, with the engine's client (node:http fetch, keep-alive), pacing, and caps on posts in flight.

type Post = { team: string; channel: string; body: Record<string, unknown> };
process.once('message', (m: { apiUrl: string; token: string; posts: Post[] }) => {
  const client = createEngineClient({ slackApiUrl: m.apiUrl, botToken: m.token }, undefined as unknown as Logger);
  const [slots, lanes] = [new Slots(T.maxInFlight), new Map<string, Post[]>()];
  for (const post of m.posts) lanes.set(post.team, [...(lanes.get(post.team) ?? []), post]);
  process.once('message', async () => {
    const deps = { clock: { now: () => new Date() }, sleep: (ms: number) => sleep(ms) };
    const lane = async (queue: Post[], pacer: Pacer) => {
      for (let post = queue.shift(); post !== undefined; post = queue.shift()) {
        const { body, channel } = post;
        const sent = await pacer.turn(channel, async () => {
          await slots.acquire();
          return { answer: client.apiCall('chat.postMessage', body).finally(() => slots.release()) };
        });
        await sent.answer;
      }
    };
    const pace = [Math.ceil(60_000 / T.perWorkspacePerMinute), T.perChannelIntervalMs] as const;
    await Promise.all(
      [...lanes.values()].flatMap((queue) => {
        const pacer = new Pacer(deps, ...pace);
        return Array.from({ length: T.perWorkspaceInFlight }, () => lane(queue, pacer));
      }),
    );
    process.send?.('done');
  });
  process.send?.('ready');
});
