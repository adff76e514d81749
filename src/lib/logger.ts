import { LogLevel, type Logger } from '@slack/bolt';
import type { LogLevelName } from '../config.js';

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
    const message = redactTokens(args.map(render).join(' '));
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
