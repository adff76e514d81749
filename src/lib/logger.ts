import type { Logger, LogLevel } from '@slack/bolt';
import { type DestinationStream, pino } from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
/** json: one JSON object per line, for machines. pretty: one readable line, for a developer's terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

// Slack tokens (bot, user, app-level, refresh, config) and signing material never reach a log line.
const TOKEN_PATTERN = /\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]+/g;

/** What code outside the Slack edge logs through; Bolt's Logger satisfies it. */
export interface LogSink {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, (_match, prefix: string) => `${prefix}-[redacted]`);
}

/**
 * The Web API client logs whole request bodies and results at debug ("http request body: {…}"): messages, views,
 * DM history, everything users wrote. Only these fields are kept; every other value is replaced by its type.
 */
const WEB_API_DUMP = /^(http request (?:body|result)): ([\s\S]*)$/;
const SAFE_FIELDS = new Set([
  'ok',
  'error',
  'warning',
  'needed',
  'provided',
  'channel',
  'ts',
  'team_id',
  'user_id',
  'bot_id',
  'trigger_id',
  'view_id',
  'hash',
  'has_more',
  'response_metadata',
  'next_cursor',
  'cursor',
  'limit',
  'oldest',
  'include_all_metadata',
  'messages',
  'method',
  'id',
  'tz',
]);

function keepSafeFields(value: unknown, key: string | null): unknown {
  if (Array.isArray(value))
    return key === null || SAFE_FIELDS.has(key)
      ? value.map((item) => keepSafeFields(item, null))
      : `[${value.length} items]`;
  if (value !== null && typeof value === 'object') {
    if (key !== null && !SAFE_FIELDS.has(key)) return '[redacted]';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keepSafeFields(v, k)]));
  }
  return key === null || SAFE_FIELDS.has(key) ? value : '[redacted]';
}

/** Message bodies and view contents out of a Web API client's debug line; other lines unchanged. */
export function redactBodies(line: string): string {
  const dump = WEB_API_DUMP.exec(line);
  if (dump === null) return line;
  try {
    return `${dump[1]}: ${JSON.stringify(keepSafeFields(JSON.parse(dump[2] as string), null))}`;
  } catch {
    return `${dump[1]}: [redacted]`;
  }
}

/** Fields a log line carries besides its message: ids (`team`, `user`, `request`, `reminder`), codes, counts. */
export type LogFields = Record<string, unknown>;

/** Bolt's Logger, plus child loggers that add fields to every line they write. */
export interface AppLogger extends Logger {
  child(bindings: LogFields): AppLogger;
}

/**
 * Censored wherever they appear at these paths, whatever the level: secrets, and what users wrote (message text,
 * blocks, views, metadata, request bodies). Tokens anywhere else are caught by `redactTokens`.
 */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'client_secret',
  'password',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'body',
  '*.body',
  'text',
  '*.text',
  'blocks',
  '*.blocks',
  'view',
  '*.view',
  'metadata',
  '*.metadata',
  'attachments',
  '*.attachments',
];
/** Keys the line itself uses; a field of the same name is written with a trailing underscore. */
const RESERVED = new Set(['time', 'level', 'name', 'msg']);
const MAX_DEPTH = 6;

/** A child of `logger` with more fields, when it has children (every logger createLogger makes does). */
export function childLogger(logger: Logger, bindings: LogFields): Logger {
  const parent = logger as Partial<AppLogger>;
  return typeof parent.child === 'function' ? parent.child(bindings) : logger;
}

function serializeError(error: Error, depth: number, seen: Set<object>): LogFields {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: redactTokens(error.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: redactTokens(error.stack) }),
    ...(error.cause === undefined ? {} : { cause: clean(error.cause, depth + 1, seen) }),
  };
}

function isPlainObject(value: unknown): value is LogFields {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A JSON-safe copy with every string's tokens redacted; cycles and deep nesting cut short. */
function clean(value: unknown, depth: number, seen: Set<object>): unknown {
  if (typeof value === 'string') return redactTokens(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (seen.has(value)) return '[circular]';
  if (depth > MAX_DEPTH) return '[nested]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  seen.add(value);
  try {
    if (value instanceof Error) return serializeError(value, depth, seen);
    if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1, seen));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clean(item, depth + 1, seen)]));
  } finally {
    seen.delete(value);
  }
}

/**
 * Bolt-style variadic arguments as one entry: strings (and numbers, booleans) joined into the message, the first
 * Error as `err` (further ones in `errors`), plain objects merged as fields, anything else listed in `args`.
 */
function toEntry(args: unknown[]): { msg: string; fields: LogFields } {
  const words: string[] = [];
  const fields: LogFields = {};
  const errors: Error[] = [];
  const others: unknown[] = [];
  for (const arg of args) {
    if (typeof arg === 'string') words.push(arg);
    else if (arg instanceof Error) errors.push(arg);
    else if (isPlainObject(arg)) Object.assign(fields, arg);
    else if (arg === null || typeof arg !== 'object') words.push(String(arg));
    else others.push(arg);
  }
  if (errors.length > 0) fields.err = errors[0];
  if (errors.length > 1) fields.errors = errors.slice(1);
  if (others.length > 0) fields.args = others;
  return { msg: redactTokens(redactBodies(words.join(' '))), fields };
}

function unreserved(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED.has(key) ? `${key}_` : key, value]));
}

/** One JSON line as one readable line: the old plain-text format, its fields after it, a stack below it. */
export function formatPretty(line: string): string {
  const { time, level, name, msg, err, ...fields } = JSON.parse(line) as LogFields;
  const extra = Object.entries(fields).map(([key, value]) => {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    return `${key}=${/\s/.test(shown) || shown === '' ? JSON.stringify(shown) : shown}`;
  });
  const head = [time, String(level).toUpperCase(), `${String(name)}:`, msg, ...extra]
    .filter((part) => part !== '')
    .join(' ');
  const below: string[] = [];
  for (let error = err; error !== null && typeof error === 'object'; error = (error as { cause?: unknown }).cause) {
    const { stack, type, message } = error as { stack?: string; type?: string; message?: string };
    below.push(`${below.length > 0 ? 'caused by: ' : ''}${stack ?? `${type}: ${message}`}`);
  }
  return [head, ...below].join('\n').split('\n').join('\n    ');
}

export interface LoggerOptions {
  level: LogLevelName;
  name?: string;
  /** Default json. */
  format?: LogFormat;
  /** Receives each line without its newline; default standard error. */
  write?: (line: string) => void;
}

/**
 * One logger for the whole process (Bolt's Logger interface, so Bolt and the Web API client log through it): pino
 * writing one JSON object per line (time, level, name, msg, fields, err), tokens redacted in every string and
 * secrets and message bodies censored by path. Writes are synchronous, so a line logged just before
 * `process.exit` is never lost. The level is the process's: `setLevel` on any child sets it for all.
 */
export function createLogger({ level, name = 'infoview', format = 'json', write }: LoggerOptions): AppLogger {
  // Standard error, as before: operators already collect it, and it is where a failed start's message goes too.
  const out = write ?? stderrLines();
  const destination: DestinationStream = {
    write: (chunk: string) => {
      const line = chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk;
      out(format === 'pretty' ? formatPretty(line) : line);
    },
  };
  const root = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are already serialised (and redacted) above; pino's own serialiser would take them for Errors again.
      serializers: { err: (value: unknown) => value },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  const make = (initialName: string, bindings: LogFields): AppLogger => {
    let label = initialName;
    const emit = (at: LogLevelName, args: unknown[]) => {
      if (!root.isLevelEnabled(at)) return;
      const { msg, fields } = toEntry(args);
      const entry = clean({ name: label, ...unreserved({ ...bindings, ...fields }) }, 0, new Set()) as LogFields;
      root[at](entry, msg);
    };
    return {
      debug: (...args) => emit('debug', args),
      info: (...args) => emit('info', args),
      warn: (...args) => emit('warn', args),
      error: (...args) => emit('error', args),
      setLevel: (next) => {
        root.level = next;
      },
      getLevel: () => root.level as LogLevel,
      setName: (next) => {
        label = next;
      },
      child: (more) => make(label, { ...bindings, ...more }),
    };
  };
  return make(name, {});
}

function stderrLines(): (line: string) => void {
  const stderr = pino.destination({ dest: 2, sync: true });
  return (line) => stderr.write(`${line}\n`);
}
