import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createDb, openSqlite } from './client';

// Two server processes (decision 0025) write to one SQLite file. A transaction
// must hold the write lock from its first statement, so that a read followed by
// a write can never be refused because another process wrote in between.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-client-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('begins every transaction IMMEDIATE: another process cannot write until it ends', async () => {
  const file = path.join(dir, 'locks.sqlite');
  const { db, sqlite } = createDb(file);
  sqlite.exec('CREATE TABLE counter (n INTEGER NOT NULL)');
  sqlite.exec('INSERT INTO counter (n) VALUES (0)');

  const other = openSqlite(file);
  other.pragma('busy_timeout = 0');
  const otherWrite = () => other.prepare('UPDATE counter SET n = n + 10').run();

  await db.transaction().execute(async (tx) => {
    // Only a read so far: with a plain BEGIN the other connection could still write here.
    await tx.selectFrom('counter' as never).selectAll().execute();
    expect(otherWrite).toThrow(/database is locked/);
    await tx.updateTable('counter' as never).set({ n: 1 } as never).execute();
  });
  otherWrite();
  expect(other.prepare('SELECT n FROM counter').get()).toEqual({ n: 11 });

  other.close();
  sqlite.close();
});
