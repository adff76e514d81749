import { createHmac } from 'node:crypto';

/** Slack's v0 signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interactivity request body: `payload=` and the URL-encoded JSON, as Slack sends it. */
export function payloadBody(payload: unknown): string {
  return formBody({ payload: JSON.stringify(payload) });
}

export interface SignedPostOptions {
  /** Unix seconds; defaults to the real current time, which is what Bolt checks staleness against. */
  timestamp?: number;
  /** Sign with this secret instead (a forgery). */
  secret?: string;
  contentType?: string;
  signature?: string;
  /** More headers, as Slack's `X-Slack-Retry-Num` on a redelivery. */
  headers?: Record<string, string>;
}

/** POSTs a body to the app the way Slack does, signed. */
export async function postSigned(url: string, secret: string, body: string, options: SignedPostOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? slackSignature(options.secret ?? secret, timestamp, body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signature,
      ...options.headers,
    },
    body,
  });
}
