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

  it('keeps message bodies, views and DM history out of the Web API client debug lines (issue 11, 11)', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const body = { channel: 'D0001', text: 'Notes: Ada is moving to Paris', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'private debrief' } }] };
    logger.debug(`http request body: ${JSON.stringify(body)}`);
    logger.debug(`http request body: ${JSON.stringify({ trigger_id: '1.2', view: { title: 'Debrief', blocks: [{ text: 'what I learned' }] } })}`);
    logger.debug(`http request result: ${JSON.stringify({ ok: true, messages: [{ ts: '1.1', text: 'a DM', metadata: { event_payload: { x: 1 } } }], has_more: false })}`);
    logger.debug('http request body: {not json');
    const all = lines.join('\n');
    for (const secret of ['Paris', 'private debrief', 'what I learned', 'a DM', 'not json']) expect(all).not.toContain(secret);
    expect(lines[0]).toContain('"channel":"D0001","text":"[redacted]","blocks":"[1 items]"');
    expect(lines[1]).toContain('"trigger_id":"1.2","view":"[redacted]"');
    expect(lines[2]).toContain('"ok":true,"messages":[{"ts":"1.1","text":"[redacted]","metadata":"[redacted]"}],"has_more":false');
  });
});
