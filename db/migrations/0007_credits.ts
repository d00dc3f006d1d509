import { sql, type Kysely } from 'kysely';

// Social value credits: a double-entry ledger the schema itself keeps honest,
// and the claims and swaps whose approval books it. See ADR 0013.
//
// Amounts are integer pence, signed: a debit is positive, a credit negative.
// Every account has a normal side; its balance (kept on the row by a trigger,
// in normal terms) may never go below zero. Debit-normal: balance (credits the
// contract holds), substituted (value applied to a commitment by a swap),
// expired. Credit-normal (where value comes from): earned (surplus delivery),
// claimed (approved claims), substitute (a commitment taken on in a swap).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ledger_account (
      id TEXT PRIMARY KEY,
      contract_id TEXT NOT NULL REFERENCES contract(id),
      kind TEXT NOT NULL CHECK (kind IN ('balance', 'substituted', 'expired', 'earned', 'claimed', 'substitute')),
      commitment_id TEXT REFERENCES commitment(id),
      balance_pence INTEGER NOT NULL DEFAULT 0 CHECK (balance_pence >= 0),
      created_at TEXT NOT NULL,
      CHECK ((kind IN ('substituted', 'substitute')) = (commitment_id IS NOT NULL))
    ) STRICT`.execute(db);
  await sql`CREATE UNIQUE INDEX ledger_account_key ON ledger_account (contract_id, kind, ifnull(commitment_id, ''))`.execute(db);

  // Postings are written first, then the transaction row that seals them: the
  // foreign key is deferred to COMMIT, and the trigger on the transaction row
  // refuses one whose postings do not sum to zero.
  await sql`
    CREATE TABLE ledger_transaction (
      id TEXT PRIMARY KEY,
      contract_id TEXT NOT NULL REFERENCES contract(id),
      kind TEXT NOT NULL CHECK (kind IN ('earned', 'claim', 'swap', 'expiry', 'reversal')),
      source_type TEXT NOT NULL CHECK (source_type IN ('progress_return', 'credit_claim', 'credit_swap', 'contract', 'ledger_transaction')),
      source_id TEXT NOT NULL,
      reverses_id TEXT UNIQUE REFERENCES ledger_transaction(id),
      reason TEXT NOT NULL,
      approved_by TEXT REFERENCES user(id),
      booked_at TEXT NOT NULL,
      CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
      CHECK (approved_by IS NOT NULL OR kind = 'expiry')
    ) STRICT`.execute(db);
  // Nothing is booked twice: one transaction per approved decision.
  await sql`CREATE UNIQUE INDEX ledger_transaction_source ON ledger_transaction (kind, source_type, source_id) WHERE kind != 'reversal'`.execute(db);
  await sql`CREATE INDEX ledger_transaction_contract ON ledger_transaction (contract_id, booked_at)`.execute(db);

  await sql`
    CREATE TABLE ledger_posting (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      transaction_id TEXT NOT NULL REFERENCES ledger_transaction(id) DEFERRABLE INITIALLY DEFERRED,
      account_id TEXT NOT NULL REFERENCES ledger_account(id),
      amount_pence INTEGER NOT NULL CHECK (amount_pence != 0)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX ledger_posting_transaction ON ledger_posting (transaction_id)`.execute(db);
  await sql`CREATE INDEX ledger_posting_account ON ledger_posting (account_id, id)`.execute(db);

  for (const table of ['ledger_posting', 'ledger_transaction']) {
    await sql.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: ${table} rows cannot be changed'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: ${table} rows cannot be deleted'); END`).execute(db);
  }
  await sql`CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account BEGIN SELECT RAISE(ABORT, 'Ledger accounts cannot be deleted'); END`.execute(db);
  await sql`
    CREATE TRIGGER ledger_account_fixed BEFORE UPDATE OF id, contract_id, kind, commitment_id ON ledger_account BEGIN
      SELECT RAISE(ABORT, 'A ledger account cannot be re-pointed');
    END`.execute(db);
  await sql`
    CREATE TRIGGER ledger_posting_sealed BEFORE INSERT ON ledger_posting
    WHEN EXISTS (SELECT 1 FROM ledger_transaction WHERE id = NEW.transaction_id) BEGIN
      SELECT RAISE(ABORT, 'This ledger transaction is already booked');
    END`.execute(db);
  // Keeps the account's balance in normal terms; its CHECK refuses an overdraft.
  await sql`
    CREATE TRIGGER ledger_posting_apply AFTER INSERT ON ledger_posting BEGIN
      UPDATE ledger_account
      SET balance_pence = balance_pence + CASE WHEN kind IN ('balance', 'substituted', 'expired') THEN NEW.amount_pence ELSE -NEW.amount_pence END
      WHERE id = NEW.account_id;
    END`.execute(db);
  await sql`
    CREATE TRIGGER ledger_transaction_balanced BEFORE INSERT ON ledger_transaction
    WHEN (SELECT count(*) FROM ledger_posting WHERE transaction_id = NEW.id) < 2
      OR (SELECT sum(amount_pence) FROM ledger_posting WHERE transaction_id = NEW.id) != 0
      OR EXISTS (SELECT 1 FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
                 WHERE p.transaction_id = NEW.id AND a.contract_id != NEW.contract_id) BEGIN
      SELECT RAISE(ABORT, 'A ledger transaction must balance to zero within one contract');
    END`.execute(db);

  // A contractor's request for credits for value delivered outside its commitments.
  await sql`
    CREATE TABLE credit_claim (
      id TEXT PRIMARY KEY,
      contract_id TEXT NOT NULL REFERENCES contract(id),
      supplier_id TEXT NOT NULL REFERENCES organisation(id),
      kind TEXT NOT NULL CHECK (kind IN ('pledge', 'activity')),
      pledge_id TEXT REFERENCES pledge(id),
      measure_id TEXT REFERENCES measure(id),
      quantity_milli INTEGER CHECK (quantity_milli IS NULL OR quantity_milli > 0),
      proxy_value_pence INTEGER CHECK (proxy_value_pence IS NULL OR proxy_value_pence >= 0),
      uplift_percent INTEGER NOT NULL DEFAULT 0 CHECK (uplift_percent BETWEEN 0 AND 100),
      description TEXT NOT NULL,
      requested_value_pence INTEGER NOT NULL CHECK (requested_value_pence > 0),
      approved_value_pence INTEGER CHECK (approved_value_pence IS NULL OR approved_value_pence > 0),
      status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
      decision_reason TEXT,
      decided_by TEXT REFERENCES user(id),
      decided_at TEXT,
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((kind = 'pledge') = (pledge_id IS NOT NULL)),
      CHECK (kind = 'pledge' OR (measure_id IS NOT NULL AND quantity_milli IS NOT NULL AND proxy_value_pence IS NOT NULL)),
      CHECK (approved_value_pence IS NULL OR approved_value_pence <= requested_value_pence)
    ) STRICT`.execute(db);
  // A confirmed pledge backs one live claim at most (a rejected or withdrawn claim frees it).
  await sql`CREATE UNIQUE INDEX credit_claim_pledge ON credit_claim (pledge_id) WHERE pledge_id IS NOT NULL AND status IN ('requested', 'approved')`.execute(db);
  await sql`CREATE INDEX credit_claim_status ON credit_claim (status, created_at)`.execute(db);
  await sql`CREATE INDEX credit_claim_contract ON credit_claim (contract_id, status)`.execute(db);
  await sql`CREATE INDEX credit_claim_supplier ON credit_claim (supplier_id, status, updated_at)`.execute(db);

  await sql`
    CREATE TABLE claim_evidence (
      id TEXT PRIMARY KEY,
      claim_id TEXT NOT NULL REFERENCES credit_claim(id),
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
  await sql`CREATE INDEX claim_evidence_claim ON claim_evidence (claim_id)`.execute(db);
  await sql`CREATE INDEX claim_evidence_sha ON claim_evidence (sha256)`.execute(db);

  // A request to meet part of a commitment another way: with credits from the
  // contract's balance, or by taking on another measure of at least equal value.
  await sql`
    CREATE TABLE credit_swap (
      id TEXT PRIMARY KEY,
      contract_id TEXT NOT NULL REFERENCES contract(id),
      supplier_id TEXT NOT NULL REFERENCES organisation(id),
      commitment_id TEXT NOT NULL REFERENCES commitment(id),
      method TEXT NOT NULL CHECK (method IN ('credits', 'measure')),
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      value_pence INTEGER NOT NULL CHECK (value_pence > 0),
      to_measure_id TEXT REFERENCES measure(id),
      to_commitment_id TEXT REFERENCES commitment(id),
      to_quantity_milli INTEGER CHECK (to_quantity_milli IS NULL OR to_quantity_milli > 0),
      to_proxy_value_pence INTEGER CHECK (to_proxy_value_pence IS NULL OR to_proxy_value_pence >= 0),
      to_value_pence INTEGER CHECK (to_value_pence IS NULL OR to_value_pence > 0),
      to_due_date TEXT,
      reason TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
      decision_reason TEXT,
      decided_by TEXT REFERENCES user(id),
      decided_at TEXT,
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((method = 'measure') = (to_measure_id IS NOT NULL)),
      CHECK (method = 'credits' OR (to_quantity_milli IS NOT NULL AND to_proxy_value_pence IS NOT NULL AND to_value_pence IS NOT NULL AND to_value_pence >= value_pence)),
      CHECK (to_commitment_id IS NULL OR to_commitment_id != commitment_id)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX credit_swap_status ON credit_swap (status, created_at)`.execute(db);
  await sql`CREATE INDEX credit_swap_contract ON credit_swap (contract_id, status)`.execute(db);
  await sql`CREATE INDEX credit_swap_commitment ON credit_swap (commitment_id, status)`.execute(db);
  await sql`CREATE INDEX credit_swap_supplier ON credit_swap (supplier_id, status, updated_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const trigger of [
    'ledger_posting_no_update', 'ledger_posting_no_delete', 'ledger_transaction_no_update', 'ledger_transaction_no_delete',
    'ledger_account_no_delete', 'ledger_account_fixed', 'ledger_posting_sealed', 'ledger_posting_apply', 'ledger_transaction_balanced',
  ]) await sql`DROP TRIGGER IF EXISTS ${sql.id(trigger)}`.execute(db);
  for (const table of ['credit_swap', 'claim_evidence', 'credit_claim', 'ledger_posting', 'ledger_transaction', 'ledger_account']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
