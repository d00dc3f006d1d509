import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation';

// An in-code provider: Kysely's FileMigrationProvider cannot import .ts files
// under plain Node 20, and listing them here keeps the order explicit.
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
