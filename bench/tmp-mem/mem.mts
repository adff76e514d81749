import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeWebApi } from '../harness/fake-web-api.js';
const fake = await FakeWebApi.start();
const extra = JSON.parse(process.argv[2] ?? '{}');
const args = JSON.parse(process.argv[3] ?? '[]');
const child = spawn('node', [...args, 'dist/main.js'], {
  cwd: '/work/main',
  env: {
    ...process.env,
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: '/tmp/mem/db.sqlite',
    PORT: '39123',
    LOG_LEVEL: 'warn',
    ...extra,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
for (let i = 0; i < 100; i++) {
  await sleep(200);
  try {
    const r = await fetch('http://127.0.0.1:39123/readyz');
    if (r.ok) break;
  } catch {}
}
await sleep(3000);
const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
console.log(
  status
    .split('\n')
    .filter((l) => /Vm(RSS|HWM)|Rss(Anon|File|Shmem)|Threads/.test(l))
    .join(' '),
);
const m = await (await fetch('http://127.0.0.1:39123/metrics')).text();
console.log(
  m
    .split('\n')
    .filter((l) =>
      /^infoview_(process_resident|nodejs_heap_size_used|nodejs_heap_size_total|nodejs_external|nodejs_heap_space_size_used)/.test(
        l,
      ),
    )
    .join('\n'),
);
child.kill('SIGTERM');
await fake.stop();
