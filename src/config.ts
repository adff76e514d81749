import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevelName } from './lib/logger.js';
import { parseTokenKey } from './lib/token-cipher.js';
import { isValidCron } from './scheduler/index.js';

/** https to anywhere, or http to a loopback address only. */
function isSafeApiUrl(url: string): boolean {
  // Zod runs this refinement after its own URL check failed too: that check has said what is wrong already.
  if (!URL.canParse(url)) return true;
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export const DEFAULT_DATABASE_PATH = './data/infoview.sqlite';
/** Every 10 seconds: the reminder engine's trigger. */
export const DEFAULT_SCHEDULER_CRON = '*/10 * * * * *';
export const DEFAULT_SQLITE_CACHE_MB = 16;
/** Above the 60 s idle timeout of common load balancers (AWS ALB, GCP, nginx's 75 s is set on its side). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** GET /slack/install per client address per minute (a burst of as many, then one every 60/N seconds). */
export const DEFAULT_INSTALL_PAGE_LIMIT = 10;
/** Proxies in front of the app whose X-Forwarded-For entry is trusted: none, the socket's peer is the client. */
export const DEFAULT_TRUSTED_PROXY_HOPS = 0;

/**
 * What a process runs: `all`, Slack's requests and the reminder engine (one process does everything); `web`, only
 * Slack's requests; `engine`, only the reminder engine and housekeeping, without loading Bolt (README "Running it
 * in production").
 */
export const ROLES = ['all', 'web', 'engine'] as const;
export type Role = (typeof ROLES)[number];

const OAUTH_VARIABLES = [
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'INFOVIEW_ENCRYPTION_KEY',
] as const;

const TOKEN_KEY_MESSAGE = 'must be 32 random bytes, as 64 hex digits or base64 (openssl rand -base64 32)';

function isTokenKey(text: string): boolean {
  try {
    parseTokenKey(text);
    return true;
  } catch {
    return false;
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * A whole-number variable in [min, max]. Empty counts as unset: a plain coercion would read '' as 0 (a random
 * port, or an uninstalled workspace's data deleted at once).
 */
function wholeNumber(message: string, min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).optional(),
  );
}

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
        .optional(),
    ),
    // Installs by OAuth instead of one bot token (issue 16): all four, and no SLACK_BOT_TOKEN.
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    INFOVIEW_ENCRYPTION_KEY: optionalText.pipe(z.string().refine(isTokenKey, TOKEN_KEY_MESSAGE).optional()),
    INFOVIEW_PREVIOUS_ENCRYPTION_KEYS: optionalText.pipe(
      z
        .string()
        .refine((keys) => keys.split(',').every((key) => isTokenKey(key.trim())), TOKEN_KEY_MESSAGE)
        .optional(),
    ),
    SLACK_APP_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
        .optional(),
    ),
    SLACK_SIGNING_SECRET: optionalText,
    INFOVIEW_ROLE: optionalText
      .pipe(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional())
      .default('all'),
    PORT: wholeNumber('must be a port number', 0, 65535),
    DATABASE_URL: optionalText.default(DEFAULT_DATABASE_PATH),
    PUBLIC_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        // Calendar addresses carry a secret: never in clear text, except to this machine while developing.
        .refine(isSafeApiUrl, 'must be https://, or http://localhost while developing (the addresses carry a secret)')
        .refine((url) => !/[?#]/.test(url), 'must be a plain address, without ? or #')
        .optional(),
    ),
    SLACK_API_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        // The bot token goes with every call: never in clear text, except to this machine (a local stand-in for Slack).
        .refine(
          isSafeApiUrl,
          'must be https://, or http:// to a loopback address (the bot token is sent with every call)',
        )
        .optional(),
    ),
    LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).optional()).default('info'),
    LOG_FORMAT: optionalText.pipe(z.enum(LOG_FORMATS).optional()).default('json'),
    DATA_RETENTION_DAYS: wholeNumber('must be a whole number of days', 0, 3650).default(30),
    SQLITE_CACHE_MB: wholeNumber('must be a whole number of MiB', 1, 65536).default(DEFAULT_SQLITE_CACHE_MB),
    SQLITE_MMAP_MB: wholeNumber('must be a whole number of MiB', 0, 1048576).default(0),
    DATABASE_POOL_SIZE: wholeNumber('must be a whole number of connections', 1, 1000).default(10),
    // Above the idle timeouts of common load balancers (60 s): Node's 5 s default closes kept-alive connections the
    // balancer still reuses, and it answers 502.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: wholeNumber('must be a whole number of milliseconds', 1000, 600_000).default(
      DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    ),
    HTTP_HEADERS_TIMEOUT_MS: wholeNumber('must be a whole number of milliseconds', 1000, 601_000),
    INSTALL_PAGE_LIMIT_PER_MINUTE: wholeNumber('must be a whole number of requests', 1, 100_000).default(
      DEFAULT_INSTALL_PAGE_LIMIT,
    ),
    // How many proxies (load balancers) stand in front of the app: the install page's limit counts the address the
    // nearest of them saw, the N-th from the right of X-Forwarded-For. 0: the connection's own address, and the
    // header is ignored (anyone can send one).
    TRUSTED_PROXY_HOPS: wholeNumber('must be a whole number of proxies', 0, 100).default(DEFAULT_TRUSTED_PROXY_HOPS),
    SCHEDULER_CRON: optionalText
      .pipe(z.string().refine(isValidCron, 'is not a cron expression (5 fields, or 6 with seconds first)').optional())
      .default(DEFAULT_SCHEDULER_CRON),
  })
  // Runs even when other fields failed, so one start reports every problem at once.
  .check(
    z.refine((env) => isSet(env.SLACK_BOT_TOKEN) || OAUTH_VARIABLES.some((name) => isSet(env[name])), {
      path: ['SLACK_BOT_TOKEN'],
      message:
        'is required: the Bot User OAuth Token (xoxb-…) from "OAuth & Permissions"; or, to install by OAuth, set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and INFOVIEW_ENCRYPTION_KEY instead',
      when: () => true,
    }),
    z.refine((env) => !isSet(env.SLACK_BOT_TOKEN) || !OAUTH_VARIABLES.some((name) => isSet(env[name])), {
      path: ['SLACK_BOT_TOKEN'],
      message: 'and the OAuth variables (SLACK_CLIENT_ID, …) are both set: set one or the other',
      when: () => true,
    }),
    ...OAUTH_VARIABLES.map((name) =>
      z.refine(
        (env: unknown) => {
          const vars = env as Record<string, unknown>;
          return (
            isSet(vars.SLACK_BOT_TOKEN) || !OAUTH_VARIABLES.some((other) => isSet(vars[other])) || isSet(vars[name])
          );
        },
        { path: [name], message: 'is required to install by OAuth (with the other three)', when: () => true },
      ),
    ),
    // Otherwise a request sent just as the connection's keep-alive ends may be cut off by the headers timer.
    z.refine(
      (env) =>
        env.HTTP_HEADERS_TIMEOUT_MS === undefined ||
        env.HTTP_HEADERS_TIMEOUT_MS > (env.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
      {
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS',
        when: () => true,
      },
    ),
    // The engine takes no request from Slack, so it has nothing to verify.
    z.refine((env) => env.INFOVIEW_ROLE === 'engine' || isSet(env.SLACK_APP_TOKEN) || isSet(env.SLACK_SIGNING_SECRET), {
      path: ['SLACK_SIGNING_SECRET'],
      message: 'is required in HTTP mode (no SLACK_APP_TOKEN): the Signing Secret from "Basic Information"',
      when: () => true,
    }),
  );

function isSet(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** Installing by OAuth: the app's credentials and the keys that seal tokens at rest. */
export interface OAuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly stateSecret: string;
  readonly encryptionKey: string;
  readonly previousEncryptionKeys: readonly string[];
}

export interface Config {
  readonly role: Role;
  /** How Slack's requests reach the app (`web` and `all` roles). */
  readonly mode: 'socket' | 'http';
  /** The one workspace's bot token; undefined when installs are by OAuth (`oauth`). */
  readonly botToken: string | undefined;
  readonly oauth: OAuthConfig | undefined;
  readonly appToken: string | undefined;
  readonly signingSecret: string | undefined;
  readonly port: number;
  readonly databaseUrl: string;
  /** Web API base URL with a trailing slash, as WebClient expects; undefined means Slack's default. */
  readonly slackApiUrl: string | undefined;
  /** Where users reach this app from outside, without a trailing slash (calendar feed addresses); undefined: not set. */
  readonly publicUrl: string | undefined;
  readonly logLevel: LogLevelName;
  /** json: one JSON object per line; pretty: readable lines for a terminal. */
  readonly logFormat: LogFormat;
  /** When the reminder engine looks for due reminders. */
  readonly schedulerCron: string;
  /** Days an uninstalled workspace's data is kept before it is deleted. */
  readonly dataRetentionDays: number;
  /** SQLite's page cache, and how much of the file it reads through a memory map (0: none), in MiB. */
  readonly sqlite: { readonly cacheMb: number; readonly mmapMb: number };
  /** PostgreSQL: connections each process keeps at most. */
  readonly databasePoolSize: number;
  /** Every HTTP server's idle keep-alive and headers timeouts (headers > keep-alive), above the load balancer's. */
  readonly http: { readonly keepAliveTimeoutMs: number; readonly headersTimeoutMs: number };
  /** GET /slack/install per client address per minute (OAuth installs). */
  readonly installPageLimitPerMinute: number;
  /** Proxies in front of the app: the client is the N-th address from the right of X-Forwarded-For (0: the socket's). */
  readonly trustedProxyHops: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || 'environment'} ${issue.message}`,
    );
    throw new ConfigError(
      `infoview cannot start, the configuration is invalid:\n${problems.join('\n')}\n` +
        'See "Configuration" in README.md; .env.example lists every variable.',
    );
  }
  const value = parsed.data;
  return Object.freeze({
    role: value.INFOVIEW_ROLE,
    mode: value.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
    botToken: value.SLACK_BOT_TOKEN,
    oauth:
      value.SLACK_BOT_TOKEN === undefined
        ? Object.freeze({
            clientId: value.SLACK_CLIENT_ID as string,
            clientSecret: value.SLACK_CLIENT_SECRET as string,
            stateSecret: value.SLACK_STATE_SECRET as string,
            encryptionKey: value.INFOVIEW_ENCRYPTION_KEY as string,
            previousEncryptionKeys: Object.freeze(
              (value.INFOVIEW_PREVIOUS_ENCRYPTION_KEYS ?? '')
                .split(',')
                .map((key) => key.trim())
                .filter(Boolean),
            ),
          })
        : undefined,
    appToken: value.SLACK_APP_TOKEN,
    signingSecret: value.SLACK_SIGNING_SECRET,
    // The engine's own default, so that a web process and an engine process run side by side on one machine as they are.
    port: value.PORT ?? (value.INFOVIEW_ROLE === 'engine' ? 3001 : 3000),
    databaseUrl: value.DATABASE_URL,
    slackApiUrl: value.SLACK_API_URL === undefined ? undefined : withTrailingSlash(value.SLACK_API_URL),
    publicUrl: value.PUBLIC_URL === undefined ? undefined : value.PUBLIC_URL.replace(/\/+$/, ''),
    logLevel: value.LOG_LEVEL,
    logFormat: value.LOG_FORMAT,
    schedulerCron: value.SCHEDULER_CRON,
    dataRetentionDays: value.DATA_RETENTION_DAYS,
    sqlite: Object.freeze({ cacheMb: value.SQLITE_CACHE_MB, mmapMb: value.SQLITE_MMAP_MB }),
    databasePoolSize: value.DATABASE_POOL_SIZE,
    http: Object.freeze({
      keepAliveTimeoutMs: value.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: value.HTTP_HEADERS_TIMEOUT_MS ?? value.HTTP_KEEP_ALIVE_TIMEOUT_MS + 1000,
    }),
    installPageLimitPerMinute: value.INSTALL_PAGE_LIMIT_PER_MINUTE,
    trustedProxyHops: value.TRUSTED_PROXY_HOPS,
  });
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Just the database path, for `npm run migrate`, which must work before the Slack tokens are set. */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_PATH;
}

/** The token keys alone, for `npm run tokens`: the current one and the previous ones. Throws ConfigError. */
export function loadTokenKeys(env: NodeJS.ProcessEnv): { current: string; previous: string[] } {
  const current = env.INFOVIEW_ENCRYPTION_KEY?.trim() ?? '';
  const previous = (env.INFOVIEW_PREVIOUS_ENCRYPTION_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  for (const [name, key] of [
    ['INFOVIEW_ENCRYPTION_KEY', current],
    ...previous.map((key) => ['INFOVIEW_PREVIOUS_ENCRYPTION_KEYS', key]),
  ])
    if (!isTokenKey(key as string)) throw new ConfigError(`${name} ${TOKEN_KEY_MESSAGE}`);
  return { current, previous };
}
