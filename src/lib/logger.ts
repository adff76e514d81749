import { LogLevel, type Logger } from '@slack/bolt';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

// Slack tokens (bot, user, app-level, refresh, config) and signing material never reach a log line.
const TOKEN_PATTERN = /\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]+/g;
const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

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
  'ok', 'error', 'warning', 'needed', 'provided', 'channel', 'ts', 'team_id', 'user_id', 'bot_id', 'trigger_id',
  'view_id', 'hash', 'has_more', 'response_metadata', 'next_cursor', 'cursor', 'limit', 'oldest', 'include_all_metadata',
  'messages', 'method', 'id', 'tz',
]);

function keepSafeFields(value: unknown, key: string | null): unknown {
  if (Array.isArray(value)) return key === null || SAFE_FIELDS.has(key) ? value.map((item) => keepSafeFields(item, null)) : `[${value.length} items]`;
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

function render(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}

export interface LoggerOptions {
  level: LogLevelName;
  name?: string;
  write?: (line: string) => void;
}

/** One logger for the whole process (Bolt's Logger interface), one line per call, tokens redacted. */
export function createLogger({ level, name = 'infoview', write }: LoggerOptions): Logger {
  let current = level as LogLevel;
  let label = name;
  const out = write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (at: LogLevel, args: unknown[]) => {
    if (ORDER[at] < ORDER[current]) return;
    const message = redactTokens(redactBodies(args.map(render).join(' ')));
    out(`${new Date().toISOString()} ${at.toUpperCase()} ${label}: ${message}`);
  };
  return {
    debug: (...args) => emit(LogLevel.DEBUG, args),
    info: (...args) => emit(LogLevel.INFO, args),
    warn: (...args) => emit(LogLevel.WARN, args),
    error: (...args) => emit(LogLevel.ERROR, args),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      label = next;
    },
  };
}
