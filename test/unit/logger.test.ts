import { describe, expect, it } from 'vitest';
import { createLogger, formatPretty, type LogFormat, redactTokens } from '../../src/lib/logger.js';

function collect(level: 'debug' | 'info' | 'warn' | 'error' = 'debug', format: LogFormat = 'json') {
  const lines: string[] = [];
  const logger = createLogger({ level, format, write: (line) => lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, logger, entries };
}

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
    const { lines, logger, entries } = collect('info');
    logger.debug('hidden at info');
    logger.info('calling with', { token: 'xoxb-1-2-secret' });
    logger.error(new Error('invalid_auth for xapp-1-A-2-secret'));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/secret/);
    expect(entries()[0]).toMatchObject({ level: 'info', name: 'infoview', msg: 'calling with', token: '[redacted]' });
    logger.setLevel('debug' as never);
    logger.debug('now shown');
    expect(lines).toHaveLength(3);
  });

  it('keeps message bodies, views and DM history out of the Web API client debug lines', () => {
    const { lines, logger, entries } = collect('debug');
    const body = {
      channel: 'D0001',
      text: 'Notes: Ada is moving to Paris',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'private debrief' } }],
    };
    logger.debug(`http request body: ${JSON.stringify(body)}`);
    logger.debug(
      `http request body: ${JSON.stringify({ trigger_id: '1.2', view: { title: 'Debrief', blocks: [{ text: 'what I learned' }] } })}`,
    );
    logger.debug(
      `http request result: ${JSON.stringify({ ok: true, messages: [{ ts: '1.1', text: 'a DM', metadata: { event_payload: { x: 1 } } }], has_more: false })}`,
    );
    logger.debug('http request body: {not json');
    const all = lines.join('\n');
    for (const secret of ['Paris', 'private debrief', 'what I learned', 'a DM', 'not json'])
      expect(all).not.toContain(secret);
    const [first, second, third, fourth] = entries().map((entry) => entry.msg);
    expect(first).toBe('http request body: {"channel":"D0001","text":"[redacted]","blocks":"[1 items]"}');
    expect(second).toBe('http request body: {"trigger_id":"1.2","view":"[redacted]"}');
    expect(third).toBe(
      'http request result: {"ok":true,"messages":[{"ts":"1.1","text":"[redacted]","metadata":"[redacted]"}],"has_more":false}',
    );
    expect(fourth).toBe('http request body: [redacted]');
  });

  it('writes one JSON object per line: time, level label, name, msg, then fields', () => {
    const { lines, logger, entries } = collect('info');
    logger.info('reminder engine scheduled', { cron: '*/10 * * * * *', count: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const [entry] = entries();
    expect(entry).toEqual({
      time: expect.any(String),
      level: 'info',
      name: 'infoview',
      msg: 'reminder engine scheduled',
      cron: '*/10 * * * * *',
      count: 3,
    });
    expect(new Date(entry?.time as string).toISOString()).toBe(entry?.time);
  });

  it('joins string and number arguments into msg; other values land in fields, never over the line’s own keys', () => {
    const { logger, entries } = collect();
    logger.warn('users.info failed for T0001/U0001;', 'using the last known zone', 2, { user: 'U0001' }, ['a', 'b'], {
      msg: 'not the message',
      level: 'x',
    });
    expect(entries()[0]).toEqual({
      time: expect.any(String),
      level: 'warn',
      name: 'infoview',
      msg: 'users.info failed for T0001/U0001; using the last known zone 2',
      user: 'U0001',
      args: [['a', 'b']],
      msg_: 'not the message',
      level_: 'x',
    });
  });

  it('serialises an Error argument as err with type, message, stack and cause, tokens redacted in each', () => {
    const { lines, logger, entries } = collect();
    const cause = Object.assign(new Error('socket hang up near xoxb-9-9-deep'), { code: 'ECONNRESET' });
    const error = new TypeError('invalid_auth for xapp-1-A-2-secret', { cause });
    logger.warn('users.info failed for T0001/U0001; using the last known zone', error);
    const err = entries()[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: 'TypeError',
      message: 'invalid_auth for xapp-[redacted]',
      stack: expect.stringMatching(/^TypeError: invalid_auth for xapp-\[redacted\]\n\s+at /),
    });
    expect(err.cause).toMatchObject({
      type: 'Error',
      message: 'socket hang up near xoxb-[redacted]',
      code: 'ECONNRESET',
    });
    expect(lines[0]).not.toMatch(/secret|deep/);
    logger.error('cannot start', new Error('first'), new Error('second'));
    expect(entries()[1]).toMatchObject({ err: { message: 'first' }, errors: [{ message: 'second' }] });
  });

  it('redacts tokens in nested objects and censors secret and body fields by path', () => {
    const { lines, logger, entries } = collect();
    const circular: Record<string, unknown> = { id: 'C1' };
    circular.self = circular;
    logger.info('posting', {
      request: { headers: { authorization: 'Bearer xoxb-1-2-secret', accept: 'json' }, body: 'text=hello+there' },
      call: {
        channel: 'D0001',
        text: 'my-private-note',
        blocks: [{ type: 'section' }],
        note: ['fine', 'xoxp-1-2-secret'],
      },
      view: { title: 'Debrief' },
      circular,
    });
    expect(lines[0]).not.toMatch(/secret|my-private-note|hello|Debrief/);
    expect(entries()[0]).toMatchObject({
      request: { headers: { authorization: '[redacted]', accept: 'json' }, body: '[redacted]' },
      call: { channel: 'D0001', text: '[redacted]', blocks: '[redacted]', note: ['fine', 'xoxp-[redacted]'] },
      view: '[redacted]',
      circular: { id: 'C1', self: '[circular]' },
    });
  });

  it('child loggers add their fields to every line; the parent is unchanged', () => {
    const { logger, entries } = collect();
    const request = logger.child({ team: 'T0001', user: 'U0001', request: 'a1b2c3d4' });
    const reminder = request.child({ reminder: 7, kind: 'prep' });
    reminder.info('reminder sent');
    request.info('command handled', { user: 'U0002' });
    logger.info('no fields');
    const [a, b, c] = entries();
    expect(a).toMatchObject({
      msg: 'reminder sent',
      team: 'T0001',
      user: 'U0001',
      request: 'a1b2c3d4',
      reminder: 7,
      kind: 'prep',
    });
    expect(b).toMatchObject({ msg: 'command handled', user: 'U0002', request: 'a1b2c3d4' });
    expect(b).not.toHaveProperty('reminder');
    expect(Object.keys(c ?? {}).sort()).toEqual(['level', 'msg', 'name', 'time']);
  });

  it('filters by level, and setLevel on any logger of the tree sets the level for all', () => {
    const { logger, entries } = collect('warn');
    const child = logger.child({ team: 'T0001' });
    logger.info('dropped');
    child.warn('kept');
    expect(logger.getLevel()).toBe('warn');
    child.setLevel('error' as never);
    expect(logger.getLevel()).toBe('error');
    logger.warn('dropped too');
    logger.error('kept too');
    child.setLevel('debug' as never);
    child.debug('shown at debug');
    expect(entries().map((entry) => [entry.level, entry.msg])).toEqual([
      ['warn', 'kept'],
      ['error', 'kept too'],
      ['debug', 'shown at debug'],
    ]);
  });

  it('setName names the lines of that logger (the Socket Mode client renames the one it is given)', () => {
    const { logger, entries } = collect();
    logger.setName('socket-mode:SocketModeClient:0');
    logger.info('connected');
    expect(entries()[0]).toMatchObject({ name: 'socket-mode:SocketModeClient:0' });
  });

  it('LOG_FORMAT=pretty writes the same redacted entry as one readable line, with the stack indented below', () => {
    const { lines, logger } = collect('info', 'pretty');
    logger
      .child({ team: 'T0001', request: 'a1b2' })
      .warn('publishing Home failed', { token: 'xoxb-1-2-secret', note: 'two words' }, new Error('boom'));
    const [head, ...stack] = (lines[0] ?? '').split('\n');
    expect(head).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z WARN infoview: publishing Home failed team=T0001 request=a1b2 token=\[redacted\] note="two words"$/,
    );
    expect(stack[0]).toBe('    Error: boom');
    expect(stack[1]).toMatch(/^ {8}at /);
    expect(formatPretty('{"time":"2026-11-03T20:00:00.000Z","level":"info","name":"infoview","msg":"stopped"}')).toBe(
      '2026-11-03T20:00:00.000Z INFO infoview: stopped',
    );
  });
});
