import { sql, type Kysely } from 'kysely';

// Progress returns against commitments, their evidence and the thread of comments.
// Quantities in thousandths of a unit; dates YYYY-MM-DD; times ISO-8601 UTC.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE progress_return (
      id TEXT PRIMARY KEY,
      commitment_id TEXT NOT NULL REFERENCES commitment(id),
      contract_id TEXT NOT NULL REFERENCES contract(id),
      supplier_id TEXT NOT NULL REFERENCES organisation(id),
      period_start TEXT NOT NULL,
      period_end TEXT NOT NULL,
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli >= 0),
      narrative TEXT NOT NULL DEFAULT '',
      is_story INTEGER NOT NULL DEFAULT 0 CHECK (is_story IN (0, 1)),
      status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'more_info_requested')),
      approved_quantity_milli INTEGER CHECK (approved_quantity_milli IS NULL OR approved_quantity_milli >= 0),
      decision_reason TEXT,
      decided_by TEXT REFERENCES user(id),
      decided_at TEXT,
      submitted_at TEXT,
      first_submitted_at TEXT,
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (period_end >= period_start)
    ) STRICT`.execute(db);
  // One live return per commitment and period; a rejected one may be replaced by a new one.
  await sql`CREATE UNIQUE INDEX progress_return_period ON progress_return (commitment_id, period_start) WHERE status != 'rejected'`.execute(db);
  await sql`CREATE INDEX progress_return_queue ON progress_return (status, submitted_at)`.execute(db);
  await sql`CREATE INDEX progress_return_contract ON progress_return (contract_id, status)`.execute(db);
  await sql`CREATE INDEX progress_return_supplier ON progress_return (supplier_id, status, updated_at)`.execute(db);

  // Files live under DATA_DIR/evidence by content hash; links are just URLs.
  await sql`
    CREATE TABLE return_evidence (
      id TEXT PRIMARY KEY,
      return_id TEXT NOT NULL REFERENCES progress_return(id),
      kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
      file_name TEXT,
      content_type TEXT,
      size_bytes INTEGER CHECK (size_bytes IS NULL OR size_bytes > 0),
      sha256 TEXT,
      url TEXT,
      title TEXT,
      added_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      CHECK ((kind = 'file' AND sha256 IS NOT NULL AND file_name IS NOT NULL AND content_type IS NOT NULL AND size_bytes IS NOT NULL)
          OR (kind = 'link' AND url IS NOT NULL))
    ) STRICT`.execute(db);
  await sql`CREATE INDEX return_evidence_return ON return_evidence (return_id)`.execute(db);
  await sql`CREATE INDEX return_evidence_sha ON return_evidence (sha256)`.execute(db);

  // The thread: comments and each step of the lifecycle, oldest first.
  await sql`
    CREATE TABLE return_comment (
      id TEXT PRIMARY KEY,
      return_id TEXT NOT NULL REFERENCES progress_return(id),
      author_id TEXT NOT NULL REFERENCES user(id),
      kind TEXT NOT NULL CHECK (kind IN ('comment', 'submitted', 'resubmitted', 'approved', 'rejected', 'more_info_requested')),
      body TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX return_comment_return ON return_comment (return_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['return_comment', 'return_evidence', 'progress_return']) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
}
