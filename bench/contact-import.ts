// A one-off timing, not a benchmark with a target table: previews and imports a 10,000-row LinkedIn
// Connections.csv (about 1.3 MB) for one user, in process, the domain calls the import listener makes.
//   npx tsx bench/contact-import.ts                      (SQLite, a file in the temporary directory)
//   DATABASE_URL=postgres://… npx tsx bench/contact-import.ts   (an empty database it may fill)
// It prints wall and CPU times (on a shared machine CPU is the steadier figure): reading + matching for the preview, the import's transaction, and a second import of the
// same file (which adds no one).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importContacts, previewImport } from '../src/domain/contacts/import/import-service.js';

const ROWS = 10_000;
const owner = { teamId: 'TBENCH', userId: 'UBENCH' };
const notes =
  'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n';
const header = 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n';
const rows = Array.from({ length: ROWS }, (_, i) => {
  const email = i % 3 === 0 ? `person${i}@example.com` : '';
  return `Person${i},Surname${i},https://www.linkedin.com/in/person-${i},${email},"Company ${i % 700}, Inc.",Senior Engineer ${i % 13},12 Jan 2021`;
});
const bytes = Buffer.from(`\ufeff${notes}${header}${rows.join('\n')}\n`);

const url = process.env.DATABASE_URL ?? join(mkdtempSync(join(tmpdir(), 'import-bench-')), 'bench.db');
const db = openDatabase(url);
await migrateToLatest(db);
const time = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(
    `${label}: ${(performance.now() - start).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU of this process`,
  );
  return result;
};
console.log(
  `${(bytes.length / 1024 / 1024).toFixed(2)} MB, ${ROWS} rows, ${url.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}`,
);
const preview = await time('preview (empty contacts)', () => previewImport(db, owner, bytes));
const first = await time('import', () => importContacts(db, owner, bytes, { cadenceDays: 0, now: new Date() }));
await time('preview again (10,000 contacts)', () => previewImport(db, owner, bytes));
const second = await time('import again', () => importContacts(db, owner, bytes, { cadenceDays: 0, now: new Date() }));
const counts = (o: typeof first) => (o.ok ? `${o.summary.created} new, ${o.summary.unchanged} unchanged` : o.problem);
console.log(`preview: ${counts(preview)}; first: ${counts(first)}; second: ${counts(second)}`);
await db.destroy();
