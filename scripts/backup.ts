// `npm run backup -- FILE`: a consistent copy of the live database via SQLite's
// online backup API, safe while the portal is serving. See README "Backups".
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databasePath } from '#db/client';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run backup -- FILE   (for example: npm run backup -- backups/portal-2026-11-25.sqlite)');
  process.exit(2);
}
const source = databasePath();
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}. Set DATABASE_PATH to the live database.`);
  process.exit(1);
}
if (fs.existsSync(target)) {
  console.error(`${target} already exists; choose a new file name.`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
const live = new SQLite(source, { fileMustExist: true });
live.pragma('busy_timeout = 5000');
await live.backup(target);
live.close();

const copy = new SQLite(target, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
copy.close();
if (check !== 'ok') {
  console.error(`The backup at ${target} failed its integrity check: ${String(check)}`);
  process.exit(1);
}
console.log(`Backed up ${source} to ${target} (integrity check ok)`);
