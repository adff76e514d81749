/**
 * The client's address as the nearest trusted proxy saw it. With `hops` proxies in front of the app, each appends to
 * `X-Forwarded-For` the address it received the request from, so the client is the `hops`-th entry from the right;
 * everything left of it is whatever the client sent, and never chosen. `hops` 0 ignores the header (the socket's
 * peer is the client), and a header with fewer entries than `hops` (the request did not come through them all)
 * falls back to the socket address.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  hops: number,
): string {
  const socket = socketAddress ?? 'unknown';
  if (hops <= 0 || forwardedFor === undefined) return socket;
  // Several X-Forwarded-For headers are one list, in order (Node already joins them with ", ").
  const entries = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',')).split(',');
  if (entries.length < hops) return socket;
  return entries[entries.length - hops]?.trim() || socket;
}
