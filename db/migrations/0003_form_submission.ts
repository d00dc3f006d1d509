import { sql, type Kysely } from 'kysely';

// Remembers which create-forms have already been handled, so a double click or a
// resubmitted page creates one record (the second answer points at the first).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE form_submission (
      key TEXT PRIMARY KEY,
      action TEXT NOT NULL,
      user_id TEXT,
      result_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX form_submission_created ON form_submission (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS form_submission`.execute(db);
}
