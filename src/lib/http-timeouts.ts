import type { Server } from 'node:http';
import type { Config } from '../config.js';

/**
 * Keeps idle kept-alive connections open longer than a load balancer in front does (Node closes them after 5 s, a
 * balancer reuses them for 60 s or more and answers 502 when it finds one closed), and waits for headers a little
 * longer still, so a request sent just as a connection's keep-alive ends is not cut off.
 */
export function applyHttpTimeouts(server: Server, http: Config['http']): void {
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.headersTimeout = http.headersTimeoutMs;
}
