import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/lib/client-address.js';

const SOCKET = '10.0.0.5';

describe('clientAddress', () => {
  it.each([
    // [what, X-Forwarded-For, hops, expected]
    ['no header, no proxy', undefined, 0, SOCKET],
    ['no header behind one proxy: the socket', undefined, 1, SOCKET],
    ['empty header behind one proxy: the socket', '', 1, SOCKET],
    ['a header with no proxy trusted is ignored', '203.0.113.7', 0, SOCKET],
    ['one entry behind one proxy', '203.0.113.7', 1, '203.0.113.7'],
    [
      'several entries with spaces, one proxy: the rightmost',
      ' 198.51.100.1 ,203.0.113.7 ,  192.0.2.9 ',
      1,
      '192.0.2.9',
    ],
    [
      'several entries, two proxies: the second from the right',
      '198.51.100.1, 203.0.113.7, 192.0.2.9',
      2,
      '203.0.113.7',
    ],
    ['IPv6 entries', '2001:db8::1, 2001:db8::beef', 1, '2001:db8::beef'],
    ['IPv6, two proxies', '2001:db8::1, 2001:db8::beef', 2, '2001:db8::1'],
    ['fewer entries than hops: the socket', '203.0.113.7', 2, SOCKET],
    ['fewer entries than hops, several: the socket', '203.0.113.7, 192.0.2.9', 3, SOCKET],
    ['a forged leftmost entry is not chosen behind one proxy', '1.2.3.4, 203.0.113.7', 1, '203.0.113.7'],
    ['a forged leftmost entry is ignored with no proxy', '1.2.3.4', 0, SOCKET],
    ['an empty chosen entry: the socket', '203.0.113.7, ', 1, SOCKET],
    ['several headers are one list, in order', ['1.2.3.4', '203.0.113.7'], 1, '203.0.113.7'],
  ] as const)('%s', (_what, forwardedFor, hops, expected) => {
    expect(clientAddress(SOCKET, forwardedFor, hops)).toBe(expected);
  });

  it('says unknown when the socket has no address and the header is not used', () => {
    expect(clientAddress(undefined, '203.0.113.7', 0)).toBe('unknown');
    expect(clientAddress(undefined, '203.0.113.7', 1)).toBe('203.0.113.7');
  });
});
