import { parseArgs } from 'node:util';
import { loadDatabaseUrl, loadTokenKeys } from '../config.js';
import { describeDatabaseUrl, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadEnvFile } from '../lib/env-file.js';
import { parseTokenKey, TokenCipher, TokenKeyError } from '../lib/token-cipher.js';
import { resealInstallations } from '../slack/installs/installation-store.js';

// `npm run tokens -- --reencrypt`: seals every installation's tokens under INFOVIEW_ENCRYPTION_KEY, opening them with
// it or with INFOVIEW_PREVIOUS_ENCRYPTION_KEYS. Rotating the key: put the old key in the previous keys and a new one
// in INFOVIEW_ENCRYPTION_KEY, run this (replicas may keep running), then drop the previous keys and restart.

const USAGE = `Usage:
  npm run tokens -- --reencrypt

Seals every stored token under INFOVIEW_ENCRYPTION_KEY; the keys they were sealed with must be in
INFOVIEW_ENCRYPTION_KEY or INFOVIEW_PREVIOUS_ENCRYPTION_KEYS (comma-separated). Needs DATABASE_URL.`;

loadEnvFile();
const { values } = parseArgs({ options: { reencrypt: { type: 'boolean' }, help: { type: 'boolean' } }, strict: false });
if (values.help || !values.reencrypt) {
  (values.help ? console.log : console.error)(USAGE);
  if (!values.help) process.exitCode = 2;
} else {
  const url = loadDatabaseUrl(process.env);
  let cipher: TokenCipher | null = null;
  try {
    const keys = loadTokenKeys(process.env);
    cipher = new TokenCipher(parseTokenKey(keys.current), keys.previous.map(parseTokenKey));
  } catch (error) {
    console.error(`tokens: ${(error as Error).message}`);
    process.exitCode = 2;
  }
  if (cipher !== null) {
    const db = openDatabase(url);
    try {
      await migrateToLatest(db);
      const { resealed, current } = await resealInstallations(db, cipher, new Date());
      console.log(
        `${describeDatabaseUrl(url)}: ${resealed} installations re-sealed under key ${cipher.currentKeyId}, ${current} already were`,
      );
    } catch (error) {
      console.error(
        `tokens: ${error instanceof TokenKeyError ? error.message : String((error as Error).stack ?? error)}`,
      );
      process.exitCode = 1;
    } finally {
      await db.destroy();
    }
  }
}
