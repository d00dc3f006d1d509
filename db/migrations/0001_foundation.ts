import { sql, type Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Every table is STRICT. Times are ISO-8601 UTC text; dates are YYYY-MM-DD.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ward (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      is_priority INTEGER NOT NULL DEFAULT 0 CHECK (is_priority IN (0, 1))
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE organisation (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('council', 'supplier', 'vcse')),
      status TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
      charity_number TEXT,
      company_number TEXT,
      ward_id TEXT REFERENCES ward(id),
      description TEXT,
      website TEXT,
      contact_name TEXT,
      contact_email TEXT,
      contact_phone TEXT,
      decision_reason TEXT,
      decided_by TEXT,
      decided_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX organisation_kind_status ON organisation (kind, status, created_at)`.execute(db);
  await sql`CREATE UNIQUE INDEX organisation_supplier_name ON organisation (kind, lower(name)) WHERE kind != 'vcse'`.execute(db);

  await sql`
    CREATE TABLE user (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT NOT NULL,
      password_hash TEXT,
      role TEXT NOT NULL CHECK (role IN ('vcse', 'contractor', 'officer', 'admin')),
      organisation_id TEXT NOT NULL REFERENCES organisation(id),
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
      last_signed_in_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX user_organisation ON user (organisation_id)`.execute(db);

  // Lucia-style sessions: the cookie carries "id.secret"; only SHA-256(secret) is stored.
  await sql`
    CREATE TABLE session (
      id TEXT PRIMARY KEY,
      secret_hash TEXT NOT NULL,
      user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      absolute_expires_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX session_user ON session (user_id)`.execute(db);

  await sql`
    CREATE TABLE password_reset (
      id TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX password_reset_user ON password_reset (user_id)`.execute(db);

  await sql`
    CREATE TABLE invitation (
      id TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      email TEXT NOT NULL COLLATE NOCASE,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('contractor')),
      organisation_id TEXT NOT NULL REFERENCES organisation(id),
      invited_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      accepted_at TEXT,
      revoked_at TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX invitation_email ON invitation (email)`.execute(db);

  await sql`
    CREATE TABLE audit_event (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      occurred_at TEXT NOT NULL,
      actor_user_id TEXT,
      actor_organisation_id TEXT,
      action TEXT NOT NULL,
      subject_type TEXT NOT NULL,
      subject_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT,
      request_id TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX audit_event_time ON audit_event (occurred_at)`.execute(db);
  await sql`CREATE INDEX audit_event_subject ON audit_event (subject_type, subject_id)`.execute(db);
  await sql`CREATE INDEX audit_event_actor ON audit_event (actor_user_id, occurred_at)`.execute(db);
  await sql`CREATE INDEX audit_event_action ON audit_event (action, occurred_at)`.execute(db);
  // The audit trail is append-only.
  await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`.execute(db);

  // The outbox: written in the same transaction as the change; sent after commit.
  await sql`
    CREATE TABLE notification (
      id TEXT PRIMARY KEY,
      dedupe_key TEXT UNIQUE,
      kind TEXT NOT NULL,
      to_email TEXT NOT NULL,
      to_user_id TEXT REFERENCES user(id) ON DELETE SET NULL,
      subject TEXT NOT NULL,
      body_text TEXT NOT NULL,
      link TEXT,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      created_at TEXT NOT NULL,
      sent_at TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX notification_status ON notification (status, created_at)`.execute(db);
  await sql`CREATE INDEX notification_created ON notification (created_at)`.execute(db);

  await sql`
    CREATE TABLE rate_limit (
      key TEXT PRIMARY KEY,
      window_started_at INTEGER NOT NULL,
      hits INTEGER NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0,
      blocked_until INTEGER NOT NULL DEFAULT 0
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE setting (
      key TEXT PRIMARY KEY,
      value_json TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT
    ) STRICT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['setting', 'rate_limit', 'notification', 'audit_event', 'invitation', 'password_reset', 'session', 'user', 'organisation', 'ward']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
