import { describe, expect, it } from 'vitest';
import { createLogger, redactTokens } from '../../src/lib/logger.js';

describe('logger', () => {
  it.each([
    ['xoxb-1111-2222-abcDEF', 'xoxb-[redacted]'],
    ['xoxp-1-2-3', 'xoxp-[redacted]'],
    ['xapp-1-A0001-123-abc', 'xapp-[redacted]'],
    ['xoxe.xoxb-1-abc', 'xoxe.xoxb-[redacted]'],
  ])('redacts %s', (token, shown) => {
    expect(redactTokens(`Authorization: Bearer ${token} done`)).toBe(`Authorization: Bearer ${shown} done`);
  });

  it('never writes a token, in strings, objects or errors, and respects the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    logger.debug('hidden at info');
    logger.info('calling with', { token: 'xoxb-1-2-secret' });
    logger.error(new Error('invalid_auth for xapp-1-A-2-secret'));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/secret/);
    expect(lines[0]).toMatch(/ INFO infoview: calling with {"token":"xoxb-\[redacted\]"}$/);
    logger.setLevel('debug' as never);
    logger.debug('now shown');
    expect(lines).toHaveLength(3);
  });
});
