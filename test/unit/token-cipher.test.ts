import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTokenKey, TokenCipher, TokenKeyError } from '../../src/lib/token-cipher.js';

// Issue 16: tokens at rest are sealed with AES-256-GCM; a value names its key and is bound to its row.

const key = () => parseTokenKey(randomBytes(32).toString('base64'));

describe('TokenCipher', () => {
  it('seals and opens; the sealed value holds no token and differs every time', () => {
    const cipher = new TokenCipher(key());
    const a = cipher.seal('xoxb-1-secret', 'team:T1/bot');
    const b = cipher.seal('xoxb-1-secret', 'team:T1/bot');
    expect(a).not.toContain('xoxb');
    expect(a).not.toBe(b);
    expect(cipher.open(a, 'team:T1/bot')).toBe('xoxb-1-secret');
    expect(a.split('.')[1]).toBe(cipher.currentKeyId);
  });

  it('refuses a value altered, moved to another row, or sealed with a key it does not have', () => {
    const cipher = new TokenCipher(key());
    const sealed = cipher.seal('xoxb-1-secret', 'team:T1/bot');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3] as string, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    parts[3] = flipped.toString('base64url');
    expect(() => cipher.open(parts.join('.'), 'team:T1/bot')).toThrow(TokenKeyError);
    expect(() => cipher.open(sealed, 'team:T2/bot')).toThrow(/not this row's/);
    expect(() => new TokenCipher(key()).open(sealed, 'team:T1/bot')).toThrow(/not among INFOVIEW_ENCRYPTION_KEY/);
    expect(() => cipher.open('xoxb-plain', 'team:T1/bot')).toThrow(/not a sealed token/);
  });

  it('opens what an earlier key sealed while it is listed as previous, and says it needs re-sealing', () => {
    const old = key();
    const sealed = new TokenCipher(old).seal('xoxb-1', 'c');
    const rotated = new TokenCipher(key(), [old]);
    expect(rotated.open(sealed, 'c')).toBe('xoxb-1');
    expect(rotated.sealedWithOldKey(sealed)).toBe(true);
    expect(rotated.sealedWithOldKey(rotated.seal('xoxb-1', 'c'))).toBe(false);
  });

  it('takes a key as 64 hex digits or base64 of 32 bytes, and nothing else', () => {
    const bytes = randomBytes(32);
    expect(parseTokenKey(bytes.toString('hex')).id).toBe(parseTokenKey(bytes.toString('base64')).id);
    for (const bad of ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64')])
      expect(() => parseTokenKey(bad)).toThrow(TokenKeyError);
  });
});
