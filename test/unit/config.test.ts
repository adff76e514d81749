import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'secret' };

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to HTTP mode with port 3000, the data folder and info logs', () => {
    expect(loadConfig(base)).toEqual({
      role: 'all',
      mode: 'http',
      botToken: 'xoxb-1-2-abc',
      appToken: undefined,
      signingSecret: 'secret',
      port: 3000,
      databaseUrl: './data/infoview.sqlite',
      slackApiUrl: undefined,
      publicUrl: undefined,
      logLevel: 'info',
      logFormat: 'json',
      schedulerCron: '*/10 * * * * *',
      dataRetentionDays: 30,
      sqlite: { cacheMb: 16, mmapMb: 0 },
      databasePoolSize: 10,
      http: { keepAliveTimeoutMs: 65_000, headersTimeoutMs: 66_000 },
      installPageLimitPerMinute: 10,
      trustedProxyHops: 0,
    });
  });

  it('keeps idle connections longer than a load balancer does, headers timeout above keep-alive', () => {
    expect(loadConfig({ ...base, HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' }).http).toEqual({
      keepAliveTimeoutMs: 120_000,
      headersTimeoutMs: 121_000,
    });
    expect(problemsOf({ ...base, HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000', HTTP_HEADERS_TIMEOUT_MS: '70000' })).toContain(
      'HTTP_HEADERS_TIMEOUT_MS must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS',
    );
  });

  it('takes TRUSTED_PROXY_HOPS: 0 by default or when empty, a whole number of proxies otherwise', () => {
    expect(loadConfig({ ...base, TRUSTED_PROXY_HOPS: '' }).trustedProxyHops).toBe(0);
    expect(loadConfig({ ...base, TRUSTED_PROXY_HOPS: '1' }).trustedProxyHops).toBe(1);
    for (const bad of ['-1', '1.5', 'yes'])
      expect(problemsOf({ ...base, TRUSTED_PROXY_HOPS: bad })).toContain(
        'TRUSTED_PROXY_HOPS must be a whole number of proxies',
      );
  });

  it('takes PUBLIC_URL over https, or http to localhost, without its trailing slash', () => {
    expect(loadConfig({ ...base, PUBLIC_URL: 'https://infoview.example.org/' }).publicUrl).toBe(
      'https://infoview.example.org',
    );
    expect(loadConfig({ ...base, PUBLIC_URL: 'http://localhost:3000' }).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...base, PUBLIC_URL: '' }).publicUrl).toBeUndefined();
    for (const bad of ['http://infoview.example.org', 'ftp://example.org', 'infoview.example.org'])
      expect(problemsOf({ ...base, PUBLIC_URL: bad })).toContain('PUBLIC_URL must be');
    expect(problemsOf({ ...base, PUBLIC_URL: 'https://example.org/?a=1' })).toContain('PUBLIC_URL must be a plain');
  });

  it('uses Socket Mode when an app token is set, without needing a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1' });
    expect(config.mode).toBe('socket');
    expect(config.appToken).toBe('xapp-1-A-1');
  });

  it('takes INFOVIEW_ROLE: all by default, web or engine; the engine needs no signing secret, the others do', () => {
    expect(loadConfig({ ...base, INFOVIEW_ROLE: '' }).role).toBe('all');
    expect(loadConfig({ ...base, INFOVIEW_ROLE: 'web' }).role).toBe('web');
    expect(loadConfig({ SLACK_BOT_TOKEN: base.SLACK_BOT_TOKEN, INFOVIEW_ROLE: 'engine' })).toMatchObject({
      role: 'engine',
      port: 3001,
    });
    expect(loadConfig({ ...base, INFOVIEW_ROLE: 'web' }).port).toBe(3000);
    expect(problemsOf({ SLACK_BOT_TOKEN: base.SLACK_BOT_TOKEN, INFOVIEW_ROLE: 'web' })).toContain(
      'SLACK_SIGNING_SECRET is required in HTTP mode',
    );
    expect(problemsOf({ ...base, INFOVIEW_ROLE: 'worker' })).toContain('INFOVIEW_ROLE must be one of all, web, engine');
  });

  it('treats empty variables as unset, as a copied .env.example leaves them', () => {
    const config = loadConfig({
      ...base,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: '',
      LOG_LEVEL: '',
      LOG_FORMAT: '',
      PORT: '',
      DATA_RETENTION_DAYS: '',
      SQLITE_CACHE_MB: '',
      SQLITE_MMAP_MB: '',
    });
    expect(config.port).toBe(3000);
    expect(config.dataRetentionDays).toBe(30);
    expect(config.sqlite).toEqual({ cacheMb: 16, mmapMb: 0 });
    expect(config.mode).toBe('http');
    expect(config.slackApiUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.logFormat).toBe('json');
  });

  it('sizes the SQLite page cache and memory map from SQLITE_CACHE_MB and SQLITE_MMAP_MB', () => {
    expect(loadConfig({ ...base, SQLITE_CACHE_MB: '64', SQLITE_MMAP_MB: '1024' }).sqlite).toEqual({
      cacheMb: 64,
      mmapMb: 1024,
    });
    expect(problemsOf({ ...base, SQLITE_CACHE_MB: '0' })).toContain('SQLITE_CACHE_MB');
    expect(problemsOf({ ...base, SQLITE_MMAP_MB: 'lots' })).toContain('SQLITE_MMAP_MB');
  });

  it('takes LOG_FORMAT pretty for a terminal, json otherwise', () => {
    expect(loadConfig({ ...base, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(problemsOf({ ...base, LOG_FORMAT: 'text' })).toContain('LOG_FORMAT');
  });

  it('adds the trailing slash WebClient needs to SLACK_API_URL', () => {
    expect(loadConfig({ ...base, SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slackApiUrl).toBe(
      'http://127.0.0.1:9999/api/',
    );
  });

  it('takes SLACK_API_URL over https, or over http to this machine only: the bot token goes with every call', () => {
    for (const url of [
      'https://slack.example.com/api/',
      'http://127.0.0.1:9/api/',
      'http://localhost:9/api/',
      'http://[::1]:9/api/',
    ]) {
      expect(loadConfig({ ...base, SLACK_API_URL: url }).slackApiUrl, url).toBe(url);
    }
    for (const url of ['http://slack.example.com/api/', 'http://10.0.0.5/api/', 'http://127.example.com/api/']) {
      expect(problemsOf({ ...base, SLACK_API_URL: url }), url).toContain(
        'SLACK_API_URL must be https://, or http:// to a loopback address',
      );
    }
  });

  it('names every problem at once and points to the README', () => {
    const message = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      SLACK_API_URL: 'ftp://x',
      LOG_LEVEL: 'loud',
      SCHEDULER_CRON: 'every minute',
    });
    expect(message).toContain('SCHEDULER_CRON is not a cron expression');
    expect(message).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(message).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
    expect(message).toContain('PORT must be a port number');
    expect(message).toContain('SLACK_API_URL must be an http(s) URL');
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('README.md');
    expect(message).not.toContain('xoxp-user-token');
  });

  it('requires the bot token and rejects an app token of the wrong kind', () => {
    const message = problemsOf({ SLACK_APP_TOKEN: 'xoxb-wrong' });
    expect(message).toContain('SLACK_BOT_TOKEN is required');
    expect(message).toContain('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  });
});
