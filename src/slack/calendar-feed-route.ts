import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListenerDeps } from '../deps.js';
import { CALENDAR_FEED_PREFIX, feedByHash, feedSecretHash } from '../domain/meetings/calendar-feed-service.js';
import type { Route } from '../observability/health.js';
import { AddressRateLimit } from './installs/install-rate-limit.js';

/** Reads of one feed address per hour (a burst of as many, then one a minute): calendars read every few minutes at most. */
export const FEED_READS_PER_HOUR = 60;

/**
 * Bolt's pattern (path-to-regexp) for every path under /calendar/: each such request reaches the handler, so no
 * path holding a secret reaches Bolt's own "unhandled request" log line.
 */
export const CALENDAR_ROUTE_PATH = `${CALENDAR_FEED_PREFIX}*file`;

/** True for a request path that may hold a feed secret: never log it. */
export function isCalendarPath(url: string | undefined): boolean {
  return url?.startsWith(CALENDAR_FEED_PREFIX) ?? false;
}

/** A strong ETag of the feed's bytes. */
function etagOf(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/** RFC 9110 13.1.2: If-None-Match matches with the weak comparison, `*` matches any current representation. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/**
 * GET (and HEAD) /calendar/<secret>.ics: the user's calendar feed (domain/meetings/calendar-feed.ts). The secret is
 * hashed first and looked up by its hash in one query whether it is known or not, so an unknown address answers 404
 * after the same work as a known one; reads are limited per address (429 with Retry-After). The path and the secret
 * are never logged. Served by the web processes: beside Slack's endpoint over HTTP, on the side server in Socket Mode.
 */
export function calendarFeedRoute(deps: Pick<ListenerDeps, 'db' | 'clock' | 'logger'>): Route {
  const limit = new AddressRateLimit(FEED_READS_PER_HOUR, deps.clock, 3_600_000);
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const name = new URL(req.url ?? '/', 'http://localhost').pathname.slice(CALENDAR_FEED_PREFIX.length);
    const wellFormed = name.endsWith('.ics') && !name.includes('/');
    const hash = feedSecretHash(wellFormed ? name.slice(0, -'.ics'.length) : name);
    if (!limit.take(hash)) {
      plain(res, 429, 'Too many requests for this calendar address: try again later.\n', {
        'Retry-After': String(limit.retryAfterSeconds(hash)),
      });
      return;
    }
    const feed = await feedByHash(deps.db, hash, deps.clock.now());
    if (feed === null || !wellFormed) {
      plain(
        res,
        404,
        'No calendar at this address. Make a new one from infoview in Slack (Subscribe in your calendar).\n',
      );
      return;
    }
    const etag = etagOf(feed);
    const headers = {
      ETag: etag,
      'Cache-Control': 'private, max-age=0, must-revalidate',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(feed, 'utf8')),
    });
    res.end(req.method === 'HEAD' ? undefined : feed);
  };
  return {
    path: CALENDAR_ROUTE_PATH,
    method: ['GET', 'HEAD'],
    handler: (req, res) => {
      serve(req, res).catch((error: unknown) => {
        // The error only: the request's path holds the secret.
        deps.logger.error('calendar feed failed', error);
        if (!res.headersSent) plain(res, 500, 'The calendar could not be read: try again later.\n');
        else res.destroy();
      });
    },
  };
}
