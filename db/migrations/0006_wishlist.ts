import { sql, type Kysely } from 'kysely';

// The community benefits wishlist: needs posted by VCSE organisations, the
// full-text index the public search uses, and contractors' pledges.
// Money: integer pence. Dates: YYYY-MM-DD. Times: ISO-8601 UTC.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE wishlist_item (
      id TEXT PRIMARY KEY,
      organisation_id TEXT NOT NULL REFERENCES organisation(id),
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      category TEXT NOT NULL CHECK (category IN ('goods', 'skills', 'volunteering', 'funding', 'space')),
      theme TEXT NOT NULL,
      ward_id TEXT REFERENCES ward(id),
      estimated_value_pence INTEGER NOT NULL CHECK (estimated_value_pence >= 0),
      quantity_detail TEXT NOT NULL DEFAULT '',
      needed_by TEXT,
      photo_sha256 TEXT,
      photo_content_type TEXT,
      photo_alt TEXT,
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'published', 'rejected', 'pledged', 'fulfilled', 'closed', 'withdrawn', 'expired')),
      decision_reason TEXT,
      decided_by TEXT REFERENCES user(id),
      decided_at TEXT,
      submitted_at TEXT,
      published_at TEXT,
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((photo_sha256 IS NULL) = (photo_content_type IS NULL))
    ) STRICT`.execute(db);
  await sql`CREATE INDEX wishlist_item_org ON wishlist_item (organisation_id, status, updated_at)`.execute(db);
  await sql`CREATE INDEX wishlist_item_status_published ON wishlist_item (status, published_at)`.execute(db);
  await sql`CREATE INDEX wishlist_item_status_needed ON wishlist_item (status, needed_by)`.execute(db);
  await sql`CREATE INDEX wishlist_item_status_value ON wishlist_item (status, estimated_value_pence)`.execute(db);
  await sql`CREATE INDEX wishlist_item_ward ON wishlist_item (ward_id, status)`.execute(db);
  await sql`CREATE INDEX wishlist_item_theme ON wishlist_item (theme, status)`.execute(db);
  await sql`CREATE INDEX wishlist_item_category ON wishlist_item (category, status)`.execute(db);

  // The search index: a standalone FTS5 table holding PUBLIC items only
  // (published, pledged, fulfilled), so a hidden item can never match a search
  // and a ranked page can be read from the index alone. Its rowid is the item's
  // integer key from wishlist_item_key (wishlist_item's own rowid may change on
  // VACUUM), so keeping it in step and joining back are integer look-ups, never
  // a scan. Kept by triggers; nothing else writes to either table. Porter
  // stemming: "laptop" finds "laptops". Decision 0016.
  await sql`
    CREATE TABLE wishlist_item_key (
      seq INTEGER PRIMARY KEY,
      item_id TEXT NOT NULL UNIQUE
    ) STRICT`.execute(db);
  await sql`
    CREATE VIRTUAL TABLE wishlist_item_fts USING fts5(
      item_id UNINDEXED, title, description, organisation_name,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  const isPublic = (row: 'NEW' | 'OLD') => sql.raw(`${row}.status IN ('published', 'pledged', 'fulfilled')`);
  const indexNew = sql`
      INSERT INTO wishlist_item_fts (rowid, item_id, title, description, organisation_name)
      SELECT k.seq, NEW.id, NEW.title, NEW.description, (SELECT name FROM organisation WHERE id = NEW.organisation_id)
      FROM wishlist_item_key AS k WHERE k.item_id = NEW.id AND ${isPublic('NEW')};`;
  await sql`
    CREATE TRIGGER wishlist_item_fts_insert AFTER INSERT ON wishlist_item BEGIN
      INSERT INTO wishlist_item_key (item_id) VALUES (NEW.id);
      ${indexNew}
    END`.execute(db);
  // Only when the item enters or leaves the public statuses, or a public item's words change
  // (published -> pledged -> fulfilled leaves the index alone).
  await sql`
    CREATE TRIGGER wishlist_item_fts_update AFTER UPDATE OF title, description, organisation_id, status ON wishlist_item
    WHEN (${isPublic('OLD')}) IS NOT (${isPublic('NEW')})
      OR (${isPublic('NEW')} AND (NEW.title IS NOT OLD.title OR NEW.description IS NOT OLD.description OR NEW.organisation_id IS NOT OLD.organisation_id))
    BEGIN
      DELETE FROM wishlist_item_fts WHERE rowid = (SELECT seq FROM wishlist_item_key WHERE item_id = OLD.id);
      ${indexNew}
    END`.execute(db);
  await sql`
    CREATE TRIGGER wishlist_item_fts_delete AFTER DELETE ON wishlist_item BEGIN
      DELETE FROM wishlist_item_fts WHERE rowid = (SELECT seq FROM wishlist_item_key WHERE item_id = OLD.id);
      DELETE FROM wishlist_item_key WHERE item_id = OLD.id;
    END`.execute(db);
  await sql`
    CREATE TRIGGER wishlist_item_fts_organisation AFTER UPDATE OF name ON organisation BEGIN
      UPDATE wishlist_item_fts SET organisation_name = NEW.name
      WHERE rowid IN (SELECT k.seq FROM wishlist_item AS i JOIN wishlist_item_key AS k ON k.item_id = i.id WHERE i.organisation_id = NEW.id);
    END`.execute(db);

  // A contractor's offer to meet all or part of an item.
  await sql`
    CREATE TABLE pledge (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES wishlist_item(id),
      supplier_id TEXT NOT NULL REFERENCES organisation(id),
      contract_id TEXT REFERENCES contract(id),
      description TEXT NOT NULL,
      value_pence INTEGER NOT NULL CHECK (value_pence > 0),
      expected_date TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'accepted', 'declined', 'delivered', 'confirmed', 'disputed', 'withdrawn')),
      response_reason TEXT,
      delivery_note TEXT,
      is_story INTEGER NOT NULL DEFAULT 0 CHECK (is_story IN (0, 1)),
      responded_by TEXT REFERENCES user(id),
      responded_at TEXT,
      delivered_at TEXT,
      confirmed_by TEXT REFERENCES user(id),
      confirmed_at TEXT,
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX pledge_item ON pledge (item_id, status)`.execute(db);
  await sql`CREATE INDEX pledge_supplier ON pledge (supplier_id, status, updated_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const trigger of ['wishlist_item_fts_insert', 'wishlist_item_fts_update', 'wishlist_item_fts_delete', 'wishlist_item_fts_organisation']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(trigger)}`.execute(db);
  }
  for (const table of ['pledge', 'wishlist_item_fts', 'wishlist_item_key', 'wishlist_item']) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
}
