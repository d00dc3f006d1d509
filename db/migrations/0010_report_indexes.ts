import { sql, type Kysely } from 'kysely';

// Reports (app/modules/reports/) sum a whole history per commitment: approved
// returns, approved swaps and the ledger's 'substituted' postings, plus the
// ledger's transactions by kind. Decision 0024 (docs/decisions/0024-report-figures-cache.md).
//
// - Covering partial indexes make the returns, swaps and claims sums
//   index-only scans (no row lookup per return or swap).
// - The ledger is append-only (0007's triggers), and a posting's booking date
//   lives on its transaction (a TEXT key): joining 1,000,000 postings to their
//   transactions was most of a report's cost. Two small day-by-day summaries of
//   the ledger are kept by a trigger on ledger_transaction, in the same
//   transaction as the booking, so they cannot drift from it:
//     ledger_substituted_day  Σ postings on each commitment's 'substituted'
//                             account, by booking date (UTC day);
//     ledger_kind_day         transactions booked per kind and day, and their
//                             value (Σ of each one's debits).
//   A transaction's postings are inserted before it (0007: ledger_posting_sealed),
//   so they are all there when it is inserted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX progress_return_approved ON progress_return (commitment_id, period_end, approved_quantity_milli) WHERE status = 'approved'`.execute(db);
  // The overdue-returns count (app/modules/returns/due-returns.server.ts): reported returns in each commitment's order.
  await sql`CREATE INDEX progress_return_reported ON progress_return (commitment_id, period_start, period_end, status) WHERE status IN ('submitted', 'approved', 'more_info_requested')`.execute(db);
  await sql`CREATE INDEX credit_swap_approved ON credit_swap (commitment_id, decided_at, quantity_milli) WHERE status = 'approved'`.execute(db);
  await sql`CREATE INDEX credit_swap_approved_decided ON credit_swap (decided_at, method, value_pence) WHERE status = 'approved'`.execute(db);
  await sql`CREATE INDEX credit_claim_approved_decided ON credit_claim (decided_at, approved_value_pence) WHERE status = 'approved'`.execute(db);

  await sql`
    CREATE TABLE ledger_substituted_day (
      commitment_id TEXT NOT NULL REFERENCES commitment(id),
      booked_on TEXT NOT NULL,
      amount_pence INTEGER NOT NULL,
      PRIMARY KEY (commitment_id, booked_on)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE ledger_kind_day (
      kind TEXT NOT NULL,
      booked_on TEXT NOT NULL,
      transactions INTEGER NOT NULL,
      value_pence INTEGER NOT NULL,
      PRIMARY KEY (booked_on, kind)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TRIGGER ledger_transaction_summaries AFTER INSERT ON ledger_transaction BEGIN
      INSERT INTO ledger_substituted_day (commitment_id, booked_on, amount_pence)
        SELECT a.commitment_id, substr(NEW.booked_at, 1, 10), sum(p.amount_pence)
        FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
        WHERE p.transaction_id = NEW.id AND a.kind = 'substituted'
        GROUP BY a.commitment_id
        ON CONFLICT (commitment_id, booked_on) DO UPDATE SET amount_pence = amount_pence + excluded.amount_pence;
      INSERT INTO ledger_kind_day (kind, booked_on, transactions, value_pence)
        SELECT NEW.kind, substr(NEW.booked_at, 1, 10), 1, coalesce(sum(CASE WHEN p.amount_pence > 0 THEN p.amount_pence ELSE 0 END), 0)
        FROM ledger_posting p WHERE p.transaction_id = NEW.id
        ON CONFLICT (booked_on, kind) DO UPDATE SET transactions = transactions + 1, value_pence = value_pence + excluded.value_pence;
    END`.execute(db);
  // What is already booked.
  await sql`
    INSERT INTO ledger_substituted_day (commitment_id, booked_on, amount_pence)
      SELECT a.commitment_id, substr(t.booked_at, 1, 10), sum(p.amount_pence)
      FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id JOIN ledger_transaction t ON t.id = p.transaction_id
      WHERE a.kind = 'substituted'
      GROUP BY 1, 2`.execute(db);
  await sql`
    INSERT INTO ledger_kind_day (kind, booked_on, transactions, value_pence)
      SELECT t.kind, substr(t.booked_at, 1, 10), count(DISTINCT t.id), coalesce(sum(CASE WHEN p.amount_pence > 0 THEN p.amount_pence ELSE 0 END), 0)
      FROM ledger_transaction t JOIN ledger_posting p ON p.transaction_id = t.id
      GROUP BY 1, 2`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS ledger_transaction_summaries`.execute(db);
  for (const table of ['ledger_substituted_day', 'ledger_kind_day']) await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
  for (const index of ['progress_return_approved', 'progress_return_reported', 'credit_swap_approved', 'credit_swap_approved_decided', 'credit_claim_approved_decided']) {
    await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
  }
}
