import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIST_LIMIT,
  formatFailedJson,
  formatFailedTable,
  parseRemindersArgs,
} from '../../src/cli/reminders-command.js';
import type { FailedReminder } from '../../src/db/repositories/reminders/failed-reminders-repository.js';

describe('parseRemindersArgs', () => {
  it('reads --failed with its filters', () => {
    expect(parseRemindersArgs(['--failed'])).toEqual({
      command: 'failed',
      teamIds: [],
      limit: DEFAULT_LIST_LIMIT,
      json: false,
    });
    expect(
      parseRemindersArgs(['--failed', '--team', 'T1,T2', '--team', 'E3', '--team', 'T1', '--limit', '5', '--json']),
    ).toEqual({
      command: 'failed',
      teamIds: ['T1', 'T2', 'E3'],
      limit: 5,
      json: true,
    });
    expect(parseRemindersArgs(['--failed', '--limit=1000'])).toMatchObject({ limit: 1000 });
  });

  it('reads --retry <id> and --help', () => {
    expect(parseRemindersArgs(['--retry', '42'])).toEqual({ command: 'retry', id: 42 });
    expect(parseRemindersArgs(['--retry=7'])).toEqual({ command: 'retry', id: 7 });
    expect(parseRemindersArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseRemindersArgs(['-h', '--bogus'])).toMatchObject({ command: 'invalid' });
    expect(parseRemindersArgs(['--failed', '-h'])).toEqual({ command: 'help' });
  });

  it.each([
    [[], 'say --failed'],
    [['--failed', '--retry', '1'], 'cannot be used together'],
    [['--retry'], 'argument missing'],
    [['--retry', '0'], 'positive whole number'],
    [['--retry', '1.5'], 'positive whole number'],
    [['--retry', '-3'], ''],
    [['--retry', '9999999999999999'], 'positive whole number'],
    [['--retry', '1', '--json'], 'go with --failed'],
    [['--failed', '--limit', '0'], '1 to 1000'],
    [['--failed', '--limit', '1001'], '1 to 1000'],
    [['--failed', '--limit', 'ten'], '1 to 1000'],
    [['--failed', '--team', 't lower'], 'workspace ids'],
    [['--failed', '--team', ''], 'workspace ids'],
    [['--failed', 'extra'], 'positional'],
    [['--unknown'], 'Unknown option'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseRemindersArgs(argv);
    expect(parsed.command).toBe('invalid');
    expect(parsed).toMatchObject({ message: expect.stringContaining(message) });
  });
});

const rows: FailedReminder[] = [
  {
    id: 12,
    owner: { teamId: 'T0001', userId: 'U0001' },
    kind: 'heads_up',
    meetingId: 3,
    meetingStartsAt: new Date('2026-12-03T09:00:00Z'),
    contactId: null,
    failedAt: new Date('2026-12-02T08:20:01.123Z'),
    attempts: 1,
    reason: 'channel_not_found',
  },
  {
    id: 9,
    owner: { teamId: 'T0001', userId: 'U0002' },
    kind: 'keep_in_touch',
    meetingId: null,
    meetingStartsAt: null,
    contactId: 40,
    failedAt: new Date('2026-12-01T08:00:00Z'),
    attempts: 6,
    reason: 'gave up after 6 attempts:\nhttp 503',
  },
];

describe('formatting', () => {
  it('prints an aligned table of ids, times and reasons, one line each', () => {
    expect(formatFailedTable(rows).split('\n')).toEqual([
      'ID  TEAM   USER   KIND           ABOUT                              FAILED                ATTEMPTS  REASON',
      '12  T0001  U0001  heads_up       meeting 3 at 2026-12-03T09:00:00Z  2026-12-02T08:20:01Z  1         channel_not_found',
      '9   T0001  U0002  keep_in_touch  contact 40                         2026-12-01T08:00:00Z  6         gave up after 6 attempts: http 503',
    ]);
  });

  it('prints one JSON object per line', () => {
    const lines = formatFailedJson(rows)
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      {
        id: 12,
        team: 'T0001',
        user: 'U0001',
        kind: 'heads_up',
        meetingId: 3,
        meetingStartsAt: '2026-12-03T09:00:00Z',
        contactId: null,
        failedAt: '2026-12-02T08:20:01Z',
        attempts: 1,
        reason: 'channel_not_found',
      },
      {
        id: 9,
        team: 'T0001',
        user: 'U0002',
        kind: 'keep_in_touch',
        meetingId: null,
        meetingStartsAt: null,
        contactId: 40,
        failedAt: '2026-12-01T08:00:00Z',
        attempts: 6,
        reason: 'gave up after 6 attempts:\nhttp 503',
      },
    ]);
  });
});
