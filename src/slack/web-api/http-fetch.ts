import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// A speed mechanism: its ledger entry is "The Web API fetch over node:http" in docs/performance.md.

// Kept-alive connections to the Web API (one host, in production slack.com), as fetch keeps them.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/**
 * A `fetch` for the WebClient's calls, on node:http instead of Node's WHATWG fetch. The Web API client posts a
 * form-encoded string with `redirect: 'error'` and reads the whole answer: for that, fetch's streams, body
 * extraction and dispatcher cost about as much CPU as the rest of a slash command (measured by `npm run bench`,
 * see bench/README.md). Anything else (a FormData upload, a redirect to follow, Bolt's respond()) goes to the
 * global fetch unchanged. Behaves as fetch does where the client can tell: a redirect is an error, a network
 * failure rejects with TypeError('fetch failed') and the cause, an aborted signal rejects with its reason.
 */
export function webApiFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  if (
    input instanceof Request ||
    init?.redirect !== 'error' ||
    typeof init.body !== 'string' ||
    !isPlainHeaders(init.headers)
  ) {
    return fetch(input, init);
  }
  const url = typeof input === 'string' ? new URL(input) : input;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fetch(input, init);
  const body = init.body;
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const headers: Record<string, string | number> = {
      ...(init.headers as Record<string, string>),
      'Content-Length': Buffer.byteLength(body),
    };
    const secure = url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      { method: init.method ?? 'GET', headers, agent: secure ? httpsAgent : httpAgent },
      (res) => {
        readAll(res).then((buffer) => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && res.headers.location !== undefined) {
            reject(new TypeError('fetch failed', { cause: new Error('unexpected redirect') }));
            return;
          }
          const pairs: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
            pairs.push([res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string]);
          const nullBody = status === 204 || status === 205 || status === 304;
          const response = new Response(nullBody ? null : buffer, {
            status,
            statusText: res.statusMessage ?? '',
            headers: pairs,
          });
          Object.defineProperty(response, 'url', { value: url.href });
          resolve(response);
        }, fail);
      },
    );
    const fail = (error: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    };
    const onAbort = () => req.destroy(signal?.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.end(body);
  });
}

function isPlainHeaders(headers: RequestInit['headers']): boolean {
  return (
    headers === undefined || (typeof headers === 'object' && !(headers instanceof Headers) && !Array.isArray(headers))
  );
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the response was aborted')));
  });
}
