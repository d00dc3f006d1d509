import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_measures_contracts';
import * as m0003 from './0003_form_submission';
import * as m0004 from './0004_progress_returns';
import * as m0005 from './0005_return_reminder';
import * as m0006 from './0006_wishlist';
import * as m0007 from './0007_credits';
import * as m0008 from './0008_stories_newsletters';
import * as m0009 from './0009_wishlist_search_indexes';
import * as m0010 from './0010_report_indexes';

// An in-code provider: Kysely's FileMigrationProvider cannot import .ts files
// under plain Node 20, and listing them here keeps the order explicit.
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_measures_contracts': m0002,
  '0003_form_submission': m0003,
  '0004_progress_returns': m0004,
  '0005_return_reminder': m0005,
  '0006_wishlist': m0006,
  '0007_credits': m0007,
  '0008_stories_newsletters': m0008,
  '0009_wishlist_search_indexes': m0009,
  '0010_report_indexes': m0010,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
