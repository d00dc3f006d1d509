import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { penceToInput } from '~/modules/contracts/figures';
import { toCsv } from '~/utils/csv';
import { ACCOUNT_LABELS } from './ledger.present';

// The credits ledger as CSV (docs/credits.md): one row per posting, with its
// transaction's date, kind, reason, source and approver. Amounts in pounds in
// separate debit and credit columns, so every transaction's rows sum to zero.
// Staff export every contract's (filters optional); the contract's ledger
// page exports that contract's only.

export const LEDGER_CSV_COLUMNS = [
  'booked_at', 'contract_reference', 'supplier', 'transaction_id', 'transaction_kind', 'reason', 'approved_by', 'source_type', 'source_id',
  'reverses_transaction_id', 'account', 'commitment_measure_code', 'debit_gbp', 'credit_gbp',
] as const;

export interface LedgerCsvFilters {
  contractId?: string;
  /** Inclusive ISO dates (YYYY-MM-DD), London dates compared on the booked_at prefix. */
  from?: string;
  to?: string;
}

/** Largest export (postings); beyond it, narrow the filters. */
export const LEDGER_CSV_MAX_ROWS = 100_000;

/**
 * The ledger's postings as CSV. More than `maxRows` postings is a 422 asking
 * for narrower dates, never a silently cut file (its transactions would no
 * longer sum to zero and its totals would be wrong).
 */
export async function exportLedgerCsv(db: DbOrTx, filters: LedgerCsvFilters = {}, { maxRows = LEDGER_CSV_MAX_ROWS } = {}): Promise<string> {
  let query = db
    .selectFrom('ledger_posting as p')
    .innerJoin('ledger_transaction as t', 't.id', 'p.transaction_id')
    .innerJoin('ledger_account as a', 'a.id', 'p.account_id')
    .innerJoin('contract as c', 'c.id', 't.contract_id')
    .innerJoin('organisation as s', 's.id', 'c.supplier_id')
    .leftJoin('user as u', 'u.id', 't.approved_by')
    .leftJoin('commitment as cm', 'cm.id', 'a.commitment_id')
    .leftJoin('measure as m', 'm.id', 'cm.measure_id')
    .select([
      't.booked_at as bookedAt', 'c.reference', 's.name as supplier', 't.id as transactionId', 't.kind', 't.reason', 'u.name as approvedBy',
      't.source_type as sourceType', 't.source_id as sourceId', 't.reverses_id as reversesId', 'a.kind as account', 'm.code as measureCode',
      'p.amount_pence as amountPence',
    ]);
  if (filters.contractId) query = query.where('t.contract_id', '=', filters.contractId);
  if (filters.from) query = query.where('t.booked_at', '>=', filters.from);
  if (filters.to) query = query.where(sql<string>`substr(t.booked_at, 1, 10)`, '<=', filters.to);
  const rows = await query.orderBy('t.booked_at').orderBy('p.id').limit(maxRows + 1).execute();
  if (rows.length > maxRows) {
    throw new Response(`This export would have more than ${maxRows.toLocaleString('en-GB')} rows. Choose a shorter period: add from=YYYY-MM-DD and to=YYYY-MM-DD to the address.`, { status: 422, statusText: 'Too many rows' });
  }
  return toCsv(LEDGER_CSV_COLUMNS, rows.map((r) => [
    r.bookedAt, r.reference, r.supplier, r.transactionId, r.kind, r.reason, r.approvedBy ?? '', r.sourceType, r.sourceId, r.reversesId ?? '',
    ACCOUNT_LABELS[r.account], r.measureCode ?? '', r.amountPence > 0 ? penceToInput(r.amountPence) : '', r.amountPence < 0 ? penceToInput(-r.amountPence) : '',
  ]));
}

/** The officer export's filters from the query string, leniently: anything that makes no sense is ignored. */
export function parseLedgerCsvFilters(params: URLSearchParams): LedgerCsvFilters {
  const date = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
  const contract = params.get('contract');
  return { contractId: contract && contract.length <= 100 ? contract : undefined, from: date(params.get('from')), to: date(params.get('to')) };
}

export function csvResponse(csv: string, name: string): Response {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-${today}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
