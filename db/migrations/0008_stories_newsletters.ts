import { sql, type Kysely } from 'kysely';

// Stories of impact (drafted by officers from a return or pledge flagged as a
// story), the quarterly newsletter built from them, and who opted in to it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE story (
      id TEXT PRIMARY KEY,
      source_type TEXT NOT NULL CHECK (source_type IN ('progress_return', 'pledge')),
      source_id TEXT NOT NULL,
      contract_id TEXT REFERENCES contract(id),
      organisation_id TEXT REFERENCES organisation(id),
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      photo_sha256 TEXT,
      photo_content_type TEXT,
      photo_alt TEXT,
      consent_note TEXT NOT NULL,
      consent_recorded_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
      published_at TEXT,
      published_by TEXT REFERENCES user(id),
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((photo_sha256 IS NULL) = (photo_content_type IS NULL)),
      CHECK (photo_sha256 IS NULL OR photo_alt IS NOT NULL),
      CHECK (contract_id IS NOT NULL OR organisation_id IS NOT NULL)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX story_status ON story (status, published_at)`.execute(db);
  await sql`CREATE INDEX story_source ON story (source_type, source_id)`.execute(db);
  await sql`CREATE INDEX story_contract ON story (contract_id, status)`.execute(db);
  await sql`CREATE INDEX story_organisation ON story (organisation_id, status)`.execute(db);

  // One newsletter per quarter (period_start is the first day of the quarter).
  await sql`
    CREATE TABLE newsletter (
      id TEXT PRIMARY KEY,
      period_start TEXT NOT NULL UNIQUE,
      period_end TEXT NOT NULL,
      title TEXT NOT NULL,
      introduction TEXT NOT NULL DEFAULT '',
      figures_json TEXT,
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
      sent_at TEXT,
      sent_by TEXT REFERENCES user(id),
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (period_end >= period_start)
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE newsletter_story (
      newsletter_id TEXT NOT NULL REFERENCES newsletter(id),
      story_id TEXT NOT NULL REFERENCES story(id),
      position INTEGER NOT NULL,
      PRIMARY KEY (newsletter_id, story_id)
    ) STRICT`.execute(db);

  await sql`ALTER TABLE user ADD COLUMN newsletter_opt_in INTEGER NOT NULL DEFAULT 0 CHECK (newsletter_opt_in IN (0, 1))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE user DROP COLUMN newsletter_opt_in`.execute(db);
  for (const table of ['newsletter_story', 'newsletter', 'story']) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
}
