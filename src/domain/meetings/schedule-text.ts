import type * as Chrono from 'chrono-node';
import { lazyModule } from '../../lib/lazy-module.js';
import { offsetMinutesAt, wallTimeToInstant } from '../../lib/zoned-time.js';
import { FIELD_LIMITS } from './schedule-rules.js';

export interface ScheduleHint {
  name: string | null;
  startsAt: Date | null;
}

const chrono = lazyModule<typeof Chrono>('chrono-node');

/** When the text names a day but no hour, the modal offers this local time. */
const DEFAULT_HOUR = 10;

/**
 * Reads "Ada Lovelace next Tuesday 3pm" as a name and a start in the user's zone. chrono-node only knows fixed
 * offsets, so it reads the wall-clock parts relative to the user's local "now", and the instant is built from those
 * parts in the IANA zone: a date across a DST change still means 15:00 local. Never throws; what it cannot
 * understand stays null and the modal opens unfilled.
 */
export function parseScheduleText(text: string, now: Date, timeZone: string): ScheduleHint {
  const trimmed = text.trim();
  if (trimmed === '') return { name: null, startsAt: null };
  let results: Chrono.ParsedResult[];
  try {
    results = chrono().parse(
      trimmed,
      { instant: now, timezone: offsetMinutesAt(now, timeZone) },
      { forwardDate: true },
    );
  } catch {
    results = [];
  }
  const found = results[0];
  if (found === undefined) return { name: cleanName(trimmed), startsAt: null };

  const start = found.start;
  const hourKnown = start.isCertain('hour');
  const parts = {
    year: start.get('year'),
    month: start.get('month'),
    day: start.get('day'),
    hour: hourKnown ? start.get('hour') : DEFAULT_HOUR,
    minute: hourKnown ? (start.get('minute') ?? 0) : 0,
  };
  const startsAt =
    parts.year === null || parts.month === null || parts.day === null || parts.hour === null
      ? null
      : wallTimeToInstant(
          { ...parts, year: parts.year, month: parts.month, day: parts.day, hour: parts.hour },
          timeZone,
        );
  const remainder = `${trimmed.slice(0, found.index)} ${trimmed.slice(found.index + found.text.length)}`;
  return {
    name: cleanName(remainder),
    startsAt: startsAt !== null && !Number.isNaN(startsAt.getTime()) ? startsAt : null,
  };
}

/** Drops the little words around a date ("with Ada on" -> "Ada") and anything too long to be a name. */
function cleanName(text: string): string | null {
  const name = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(with|meet|meeting)\s+/i, '')
    .replace(/\s+(on|at|for|from|next|this)$/i, '')
    .replace(/[,;:-]+$/, '')
    .trim();
  if (name === '' || [...name].length > FIELD_LIMITS.name) return null;
  return name;
}
