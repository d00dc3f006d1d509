import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { LedgerAccountKind, LedgerSourceType, LedgerTransactionKind } from '#db/schema';

// Reading the credits ledger (docs/credits.md): balances, each contract's
// transactions with their postings, and the per-commitment figures the
// contract page shows. Every figure here is a sum of postings (kept on the
// account row by the schema's trigger), so the pages cannot disagree with it.

/** Each contract's credit balance in pence (0 when it never had credits). */
export async function contractBalances(db: DbOrTx, contractIds: readonly string[]): Promise<Map<string, number>> {
  const balances = new Map<string, number>(contractIds.map((id) => [id, 0]));
  if (contractIds.length === 0) return balances;
  const rows = await db.selectFrom('ledger_account').select(['contract_id as contractId', 'balance_pence as balancePence'])
    .where('contract_id', 'in', [...contractIds]).where('kind', '=', 'balance').execute();
  for (const row of rows) balances.set(row.contractId, row.balancePence);
  return balances;
}

/** Totals by account kind for one contract: earned, claimed, spent on swaps, expired, and the balance. */
export async function contractAccountTotals(db: DbOrTx, contractId: string): Promise<Record<LedgerAccountKind, number>> {
  const rows = await db.selectFrom('ledger_account').select(['kind', sql<number>`sum(balance_pence)`.as('pence')])
    .where('contract_id', '=', contractId).groupBy('kind').execute();
  const totals: Record<LedgerAccountKind, number> = { balance: 0, substituted: 0, expired: 0, earned: 0, claimed: 0, substitute: 0 };
  for (const row of rows) totals[row.kind] = Number(row.pence);
  return totals;
}

export interface CommitmentLedgerFigures {
  /** Value applied to the commitment by approved swaps: the 'substituted' account's balance. */
  substitutedPence: number;
  /** Value the commitment took on as the other side of measure swaps: the 'substitute' account's balance. */
  takenOnPence: number;
}

/** The ledger's figures for each commitment of a contract that has a substituted or substitute account. */
export async function commitmentLedgerFigures(db: DbOrTx, contractId: string): Promise<Map<string, CommitmentLedgerFigures>> {
  const rows = await db.selectFrom('ledger_account').select(['commitment_id as commitmentId', 'kind', 'balance_pence as pence'])
    .where('contract_id', '=', contractId).where('kind', 'in', ['substituted', 'substitute']).execute();
  const figures = new Map<string, CommitmentLedgerFigures>();
  for (const row of rows) {
    if (!row.commitmentId) continue;
    const f = figures.get(row.commitmentId) ?? { substitutedPence: 0, takenOnPence: 0 };
    if (row.kind === 'substituted') f.substitutedPence = row.pence;
    else f.takenOnPence = row.pence;
    figures.set(row.commitmentId, f);
  }
  return figures;
}

export interface LedgerPostingView {
  accountKind: LedgerAccountKind;
  commitmentId: string | null;
  /** "ML-01 Local people employed" for a commitment's account. */
  commitmentLabel: string | null;
  amountPence: number;
}

export interface LedgerTransactionView {
  id: string;
  contractId: string;
  kind: LedgerTransactionKind;
  sourceType: LedgerSourceType;
  sourceId: string;
  reversesId: string | null;
  reason: string;
  approvedById: string | null;
  approvedByName: string | null;
  bookedAt: string;
  /** Change to the contract's credit balance (the 'balance' account), signed. */
  balanceChangePence: number;
  postings: LedgerPostingView[];
  /** The reversal of this transaction, if it has been reversed. */
  reversedBy: { id: string; bookedAt: string; byName: string | null; reason: string } | null;
}

function transactionRows(db: DbOrTx) {
  return db
    .selectFrom('ledger_transaction as t')
    .leftJoin('user as u', 'u.id', 't.approved_by')
    .leftJoin('ledger_transaction as r', 'r.reverses_id', 't.id')
    .leftJoin('user as ru', 'ru.id', 'r.approved_by')
    .select([
      't.id', 't.contract_id as contractId', 't.kind', 't.source_type as sourceType', 't.source_id as sourceId', 't.reverses_id as reversesId',
      't.reason', 't.approved_by as approvedById', 'u.name as approvedByName', 't.booked_at as bookedAt',
      'r.id as reversalId', 'r.booked_at as reversalBookedAt', 'ru.name as reversalByName', 'r.reason as reversalReason',
    ]);
}

type TransactionRow = Awaited<ReturnType<ReturnType<typeof transactionRows>['execute']>>[number];

async function withPostings(db: DbOrTx, rows: TransactionRow[]): Promise<LedgerTransactionView[]> {
  if (rows.length === 0) return [];
  const postings = await db
    .selectFrom('ledger_posting as p')
    .innerJoin('ledger_account as a', 'a.id', 'p.account_id')
    .leftJoin('commitment as cm', 'cm.id', 'a.commitment_id')
    .leftJoin('measure as m', 'm.id', 'cm.measure_id')
    .select(['p.transaction_id as transactionId', 'a.kind', 'a.commitment_id as commitmentId', 'm.code', 'm.title', 'p.amount_pence as amountPence'])
    .where('p.transaction_id', 'in', rows.map((r) => r.id))
    .orderBy('p.id')
    .execute();
  const byTransaction = new Map<string, LedgerPostingView[]>();
  for (const p of postings) {
    const list = byTransaction.get(p.transactionId) ?? [];
    list.push({ accountKind: p.kind, commitmentId: p.commitmentId, commitmentLabel: p.code ? `${p.code} ${p.title}` : null, amountPence: p.amountPence });
    byTransaction.set(p.transactionId, list);
  }
  return rows.map((row) => {
    const list = byTransaction.get(row.id) ?? [];
    return {
      id: row.id, contractId: row.contractId, kind: row.kind, sourceType: row.sourceType, sourceId: row.sourceId, reversesId: row.reversesId,
      reason: row.reason, approvedById: row.approvedById, approvedByName: row.approvedByName, bookedAt: row.bookedAt,
      balanceChangePence: list.filter((p) => p.accountKind === 'balance').reduce((sum, p) => sum + p.amountPence, 0),
      postings: list,
      reversedBy: row.reversalId ? { id: row.reversalId, bookedAt: row.reversalBookedAt!, byName: row.reversalByName, reason: row.reversalReason! } : null,
    };
  });
}

/** Every transaction of a contract with its postings, oldest first (the order they were booked). */
export async function listContractTransactions(db: DbOrTx, contractId: string): Promise<LedgerTransactionView[]> {
  const rows = await transactionRows(db).where('t.contract_id', '=', contractId).orderBy('t.booked_at').orderBy(sql`t.rowid`).execute();
  return withPostings(db, rows);
}

/** One transaction with its postings; undefined if there is none. */
export async function findTransaction(db: DbOrTx, transactionId: string): Promise<LedgerTransactionView | undefined> {
  const rows = await transactionRows(db).where('t.id', '=', transactionId).execute();
  return (await withPostings(db, rows))[0];
}

/** Ids of the transactions booked for these decisions that have been reversed (e.g. swaps whose approval was undone). */
export async function reversedSources(db: DbOrTx, sourceType: LedgerSourceType, sourceIds: readonly string[]): Promise<Set<string>> {
  if (sourceIds.length === 0) return new Set();
  const rows = await db.selectFrom('ledger_transaction as t').innerJoin('ledger_transaction as r', 'r.reverses_id', 't.id')
    .select('t.source_id as sourceId').where('t.source_type', '=', sourceType).where('t.source_id', 'in', [...sourceIds]).where('t.kind', '!=', 'reversal').execute();
  return new Set(rows.map((r) => r.sourceId));
}

/** The transaction an approval booked (a claim's or a swap's), with its reversal if any; undefined when nothing was booked. */
export async function findBookedFor(db: DbOrTx, sourceType: 'credit_claim' | 'credit_swap', sourceId: string): Promise<LedgerTransactionView | undefined> {
  const row = await db.selectFrom('ledger_transaction').select('id')
    .where('source_type', '=', sourceType).where('source_id', '=', sourceId).where('kind', '!=', 'reversal').executeTakeFirst();
  return row ? findTransaction(db, row.id) : undefined;
}
