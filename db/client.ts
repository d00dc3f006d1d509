import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import type { DB } from './schema';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** A repository function accepts either the database or an open transaction. */
export type DbOrTx = Db | Tx;

export const BUSY_TIMEOUT_MS = 5000;
const BEGIN_RETRY_MS = 10;

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('synchronous = NORMAL');
  return sqlite;
}


// Every transaction here writes, so it takes SQLite's write lock when it begins
// (BEGIN IMMEDIATE). A plain BEGIN takes it at the first write, and if another
// process (a second server process, `npm run jobs`) has written since this one
// first read, SQLite answers SQLITE_BUSY at once, without waiting (decision 0025).
// While another process holds the lock, BEGIN is retried every few milliseconds
// for up to busy_timeout, awaiting between tries: better-sqlite3's own busy wait
// would block this process's event loop, and every other request with it.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    await connection.executeQuery(CompiledQuery.raw('pragma busy_timeout = 0'));
    try {
      for (;;) {
        try {
          await connection.executeQuery(CompiledQuery.raw('begin immediate'));
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, BEGIN_RETRY_MS));
        }
      }
    } finally {
      await connection.executeQuery(CompiledQuery.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`));
    }
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

export function createDb(file: string): { db: Db; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, sqlite };
}

let current: { db: Db; sqlite: SQLite.Database; file: string } | undefined;

export function databasePath(): string {
  return process.env.DATABASE_PATH || path.join(process.env.DATA_DIR || 'data', 'portal.sqlite');
}

/** The process-wide database, opened on first use from DATABASE_PATH. */
export function getDb(): Db {
  const file = databasePath();
  if (!current || current.file !== file) {
    current?.sqlite.close();
    current = { ...createDb(file), file };
  }
  return current.db;
}

/** The raw handle, for the online backup API and health checks. */
export function getSqlite(): SQLite.Database {
  getDb();
  return current!.sqlite;
}

export function closeDb(): void {
  if (current) {
    current.sqlite.close();
    current = undefined;
  }
}
