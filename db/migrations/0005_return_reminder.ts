import { sql, type Kysely } from 'kysely';

// Which return reminders each user has been sent (one row per return, state and
// user), so the hourly job sends each one once and gathers new ones into a
// single email per person.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE return_reminder (
      key TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
      digest_key TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX return_reminder_user ON return_reminder (user_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS return_reminder`.execute(db);
}
