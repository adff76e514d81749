import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type InstallURLOptions, InvalidStateError, type StateStore } from '@slack/oauth';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { recordUsedOauthState } from '../../db/repositories/installations-repository.js';
import type { Clock } from '../../lib/clock.js';
import { toDbInstant } from '../../lib/zoned-time.js';

/** How long a state from /slack/install is good for. */
export const STATE_MS = 10 * 60_000;
/** How far another replica's clock may be ahead of this one's (used states are kept STATE_MS + SKEW_MS: OAUTH_STATE_MS). */
const SKEW_MS = 60_000;

const Scopes = z.union([z.string(), z.array(z.string())]);

/** `@slack/oauth`'s InstallURLOptions, as `generateStateParam` was given them (a field a later version adds is kept). */
const InstallOptions = z.looseObject({
  scopes: Scopes,
  teamId: z.string().optional(),
  redirectUri: z.string().optional(),
  userScopes: Scopes.optional(),
  metadata: z.string().optional(),
});

const Payload = z.object({
  n: z.string().min(16).max(64),
  t: z.number().int(),
  o: InstallOptions,
});

/**
 * Signed, self-contained OAuth states: a nonce, the issue time and the install options, with an HMAC under
 * SLACK_STATE_SECRET. Opening the install page writes nothing (anyone may open it, as often as the rate limit lets
 * them); the state travels with the browser (Bolt also sets it in a cookie, so it only works in the browser that
 * opened the page). A state is good once, for ten minutes: a used one is recorded in the database until it expires,
 * so its replay is refused on every replica (housekeeping deletes it after that). Time comes from the injected clock, not Bolt's `now`.
 */
export class SignedStateStore implements StateStore {
  constructor(
    private readonly db: Db,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  async generateStateParam(installOptions: InstallURLOptions): Promise<string> {
    const payload = Buffer.from(
      JSON.stringify({ n: randomBytes(18).toString('base64url'), t: this.clock.now().getTime(), o: installOptions }),
    ).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  async verifyStateParam(_boltNow: Date, state: string): Promise<InstallURLOptions> {
    const [payload = '', signature = '', ...rest] = typeof state === 'string' ? state.split('.') : [];
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new InvalidStateError('the state is not one of this app’s');
    const parsed = Payload.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) throw new InvalidStateError('the state is not one of this app’s');
    const { n: nonce, t: issuedAt, o: options } = parsed.data;
    const now = this.clock.now().getTime();
    if (issuedAt <= now - STATE_MS || issuedAt > now + SKEW_MS) throw new InvalidStateError('the state expired');
    const first = await recordUsedOauthState(
      this.db,
      nonce,
      JSON.stringify(options),
      toDbInstant(new Date(issuedAt)),
      toDbInstant(new Date(now)),
    );
    if (!first) throw new InvalidStateError('the state was used already');
    return options;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
