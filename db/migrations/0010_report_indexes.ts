import { sql, type Kysely } from 'kysely';

// Reports (app/modules/reports/period-figures.server.ts) sum approved returns
// per commitment and each commitment's 'substituted' ledger postings by
// booking date. Covering indexes make those sums index-only scans instead of a
// row lookup per return and per posting. Measured in docs/performance.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX progress_return_approved ON progress_return (commitment_id, period_end, approved_quantity_milli) WHERE status = 'approved'`.execute(db);
  await sql`CREATE INDEX ledger_posting_account_amount ON ledger_posting (account_id, transaction_id, amount_pence)`.execute(db);
  await sql`CREATE INDEX ledger_transaction_booked ON ledger_transaction (id, booked_at, kind)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['progress_return_approved', 'ledger_posting_account_amount', 'ledger_transaction_booked']) {
    await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
  }
}
