import { sql, type Kysely } from 'kysely';

// The measures framework, contracts and their commitments.
// Money: integer pence. Quantities: integer thousandths of a unit. Dates: YYYY-MM-DD.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE measure (
      id TEXT PRIMARY KEY,
      code TEXT NOT NULL UNIQUE COLLATE NOCASE,
      theme TEXT NOT NULL,
      outcome TEXT NOT NULL,
      title TEXT NOT NULL,
      unit TEXT NOT NULL,
      proxy_value_pence INTEGER NOT NULL CHECK (proxy_value_pence >= 0),
      framework_year INTEGER NOT NULL CHECK (framework_year BETWEEN 2000 AND 2100),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX measure_theme ON measure (theme, code)`.execute(db);
  await sql`CREATE INDEX measure_active ON measure (active, code)`.execute(db);

  await sql`
    CREATE TABLE contract (
      id TEXT PRIMARY KEY,
      reference TEXT NOT NULL UNIQUE COLLATE NOCASE,
      title TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      supplier_id TEXT NOT NULL REFERENCES organisation(id),
      value_pence INTEGER NOT NULL CHECK (value_pence >= 0),
      start_date TEXT NOT NULL,
      end_date TEXT NOT NULL,
      officer_id TEXT NOT NULL REFERENCES user(id),
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'terminated')),
      closed_at TEXT,
      closure_reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (end_date >= start_date)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX contract_supplier ON contract (supplier_id, status)`.execute(db);
  await sql`CREATE INDEX contract_officer ON contract (officer_id, status)`.execute(db);
  await sql`CREATE INDEX contract_status_end ON contract (status, end_date)`.execute(db);

  // delivered_milli and substituted_milli are never typed in: the services that
  // approve returns and swaps keep them, in the same transaction as the approval.
  await sql`
    CREATE TABLE commitment (
      id TEXT PRIMARY KEY,
      contract_id TEXT NOT NULL REFERENCES contract(id),
      measure_id TEXT NOT NULL REFERENCES measure(id),
      target_milli INTEGER NOT NULL CHECK (target_milli > 0),
      proxy_value_pence INTEGER NOT NULL CHECK (proxy_value_pence >= 0),
      due_date TEXT NOT NULL,
      ward_id TEXT REFERENCES ward(id),
      description TEXT NOT NULL,
      delivered_milli INTEGER NOT NULL DEFAULT 0 CHECK (delivered_milli >= 0),
      substituted_milli INTEGER NOT NULL DEFAULT 0 CHECK (substituted_milli >= 0),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX commitment_contract ON commitment (contract_id, due_date)`.execute(db);
  await sql`CREATE INDEX commitment_measure ON commitment (measure_id)`.execute(db);
  await sql`CREATE INDEX commitment_ward ON commitment (ward_id)`.execute(db);
  await sql`CREATE INDEX commitment_due ON commitment (due_date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['commitment', 'contract', 'measure']) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
}
