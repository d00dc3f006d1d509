import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/client';
import { migrateToLatest } from '../../db/migrate';

// Migrates one template database; every test file then works on its own copy (tests/support/setup.ts).
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-tests-'));
  const template = path.join(dir, 'template.sqlite');
  const { db, sqlite } = createDb(template);
  await migrateToLatest(db);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('journal_mode = DELETE');
  await db.destroy();
  project.provide('templateDb', template);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
