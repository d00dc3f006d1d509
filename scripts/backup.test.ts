import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, inject, it } from 'vitest';
import { closeDb, createDb, getDb } from '#db/client';

// `npm run backup -- FILE` against a live database (WAL mode, a writer connected
// with changes not yet checkpointed), then the README's restore: copy the backup
// over DATABASE_PATH and start the portal on it.

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-backup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function backup(database: string, target: string) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', target], {
    env: { ...process.env, DATABASE_PATH: database },
  });
}

it('copies a live database, including changes still in the WAL, and the copy restores', { timeout: 30_000 }, async () => {
  const live = path.join(dir, 'live.sqlite');
  fs.copyFileSync(inject('templateDb'), live);
  const { db, sqlite } = createDb(live);
  sqlite.pragma('wal_autocheckpoint = 0'); // keep the new rows in the WAL file
  try {
    await db.insertInto('ward').values({ id: 'ward-before-backup', name: 'Backup Test Ward', is_priority: 1 }).execute();
    expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);

    // A write transaction open elsewhere while the backup runs: the backup sees committed data only.
    sqlite.prepare('BEGIN IMMEDIATE').run();
    sqlite.prepare("INSERT INTO ward (id, name, is_priority) VALUES ('ward-uncommitted', 'Uncommitted Ward', 0)").run();
    const target = path.join(dir, 'backups', 'portal-backup.sqlite');
    const { stdout } = await backup(live, target);
    sqlite.prepare('COMMIT').run();
    expect(stdout).toMatch(/integrity check ok/);

    const copy = createDb(target);
    const wards = await copy.db.selectFrom('ward').select(['id', 'name']).where('id', 'like', 'ward-%').execute();
    await copy.db.destroy();
    expect(wards).toEqual([{ id: 'ward-before-backup', name: 'Backup Test Ward' }]);

    // Restore: copy the backup file to a new DATABASE_PATH and open it as the portal does.
    const restored = path.join(dir, 'restored', 'portal.sqlite');
    fs.mkdirSync(path.dirname(restored), { recursive: true });
    fs.copyFileSync(target, restored);
    const previous = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = restored;
    try {
      const row = await getDb().selectFrom('ward').select('name').where('id', '=', 'ward-before-backup').executeTakeFirst();
      expect(row?.name).toBe('Backup Test Ward');
      const migrations = await getDb().selectFrom('kysely_migration' as never).selectAll().execute();
      expect(migrations.length).toBeGreaterThan(0);
    } finally {
      closeDb();
      process.env.DATABASE_PATH = previous;
    }
  } finally {
    await db.destroy();
  }
});

it('refuses to overwrite an existing file and explains a missing database', { timeout: 30_000 }, async () => {
  const existing = path.join(dir, 'existing.sqlite');
  fs.writeFileSync(existing, 'keep me');
  const live = path.join(dir, 'live-2.sqlite');
  fs.copyFileSync(inject('templateDb'), live);
  await expect(backup(live, existing)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });
  expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
  await expect(backup(path.join(dir, 'missing.sqlite'), path.join(dir, 'new.sqlite'))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/No database at/) });
});
