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

it('waits for another process’s write lock without blocking this process', async () => {
  const file = path.join(dir, 'waits.sqlite');
  const { db, sqlite } = createDb(file);
  sqlite.exec('CREATE TABLE counter (n INTEGER NOT NULL)');
  sqlite.exec('INSERT INTO counter (n) VALUES (0)');

  // Another connection (as another process would) holds the write lock for 300 ms.
  // Its COMMIT runs on this event loop: if BEGIN waited synchronously, it could never
  // run, and the transaction would fail with "database is locked" after 5 s.
  const other = openSqlite(file);
  other.exec('BEGIN IMMEDIATE');
  other.prepare('UPDATE counter SET n = n + 10').run();
  const released = new Promise<void>((resolve) => setTimeout(() => {
    other.exec('COMMIT');
    resolve();
  }, 300));

  const started = Date.now();
  const seen = await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('counter' as never).selectAll().executeTakeFirstOrThrow() as { n: number };
    await tx.updateTable('counter' as never).set({ n: row.n + 1 } as never).execute();
    return row.n;
  });
  await released;
  expect(seen).toBe(10);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  other.close();
  sqlite.close();
});
