import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Tokens at rest (issue 16): AES-256-GCM with node:crypto. A stored value names the key it was sealed with, so keys
// can be rotated: the current key seals, earlier keys still open what they sealed until everything is re-sealed
// (`npm run tokens -- --reencrypt`). A value is bound to what it belongs to (the installation and field), so one
// copied onto another row does not open.

const VERSION = 'v1';
const IV_BYTES = 12;

export interface TokenKey {
  /** The first 8 hex digits of the key's SHA-256: which key sealed a value, never the key. */
  id: string;
  secret: Buffer;
}

export class TokenKeyError extends Error {
  override readonly name = 'TokenKeyError';
}

/** A 256-bit key given as 64 hex digits or as base64 (44 characters). */
export function parseTokenKey(text: string): TokenKey {
  const trimmed = text.trim();
  let secret: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) secret = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) secret = Buffer.from(trimmed, 'base64');
  if (secret === null || secret.length !== 32)
    throw new TokenKeyError('must be 32 random bytes, as 64 hex digits or base64 (openssl rand -base64 32)');
  return { id: createHash('sha256').update(secret).digest('hex').slice(0, 8), secret };
}

export class TokenCipher {
  private readonly keys: Map<string, Buffer>;

  /** `current` seals; `previous` keys only open what they sealed. */
  constructor(
    private readonly current: TokenKey,
    previous: readonly TokenKey[] = [],
  ) {
    this.keys = new Map([...previous, current].map((key) => [key.id, key.secret]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** Seals `plain` for `context` (what it belongs to, e.g. "T0001/bot"). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.secret, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.current.id,
      iv.toString('base64url'),
      sealed.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  /** Opens a sealed value; throws TokenKeyError when its key is not given or the value was altered or moved. */
  open(stored: string, context: string): string {
    const [version, keyId, iv, sealed, tag] = stored.split('.');
    if (version !== VERSION || !keyId || iv === undefined || sealed === undefined || tag === undefined)
      throw new TokenKeyError('not a sealed token');
    const secret = this.keys.get(keyId);
    if (secret === undefined)
      throw new TokenKeyError(
        `sealed with key ${keyId}, which is not among INFOVIEW_ENCRYPTION_KEY and its previous keys`,
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenKeyError(`a sealed token (key ${keyId}) does not open: altered, or not this row's`);
    }
  }

  /** True when `stored` was sealed with another key than the current one. */
  sealedWithOldKey(stored: string): boolean {
    return stored.split('.')[1] !== this.current.id;
  }
}
