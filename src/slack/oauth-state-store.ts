import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type InstallURLOptions, InvalidStateError, type StateStore } from '@slack/oauth';
import type { Db } from '../db/database.js';
import { saveOauthState, useOauthState } from '../db/repositories/installations-repository.js';
import { toDbInstant } from '../lib/time.js';

/** How long a state from /slack/install is good for. */
const STATE_MS = 10 * 60_000;

/**
 * OAuth states kept in the database: random, good once, for ten minutes, whichever replica issued it. A replayed
 * redirect (the same state again), a forged state or an old one is refused. Bolt also checks that the browser
 * carries the state in its cookie, so a state cannot be used from another browser.
 */
export class DatabaseStateStore implements StateStore {
  constructor(
    private readonly db: Db,
    /** SLACK_STATE_SECRET: a state carries its signature, so a forged one is refused before any query. */
    private readonly secret: string,
  ) {}

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('base64url').slice(0, 22);
  }

  async generateStateParam(installOptions: InstallURLOptions, now: Date): Promise<string> {
    const nonce = randomBytes(24).toString('base64url');
    await saveOauthState(this.db, nonce, JSON.stringify(installOptions), toDbInstant(now));
    return `${nonce}.${this.sign(nonce)}`;
  }

  async verifyStateParam(now: Date, state: string): Promise<InstallURLOptions> {
    const [nonce = '', signature = ''] = typeof state === 'string' ? state.split('.') : [];
    const expected = /^[A-Za-z0-9_-]{32}$/.test(nonce) ? Buffer.from(this.sign(nonce)) : null;
    const signed =
      expected !== null && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), expected);
    const options = signed
      ? await useOauthState(this.db, nonce, toDbInstant(now), toDbInstant(new Date(now.getTime() - STATE_MS)))
      : undefined;
    if (options === undefined) throw new InvalidStateError('the state is unknown, used already or expired');
    return JSON.parse(options) as InstallURLOptions;
  }
}
