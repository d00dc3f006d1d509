import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { SessionUser } from '~/auth/session.server';
import { can } from '~/auth/permissions';
import { commitmentStatus, type CommitmentStatus } from './commitment-status';
import type { ContractFilters } from './contracts.schema';

// The figures every page shows, computed in SQL (documented in docs/contracts.md):
//   committed   = round(target × proxy ÷ 1000)        pence, rounded half up
//   delivered   = round(delivered × proxy ÷ 1000)
//   substituted = the commitment's 'substituted' ledger account balance: the
//                 sum of its approved, unreversed swaps' values (each swap's value
//                 is valueOfQuantity of its quantity, booked when approved), so
//                 the page always equals the ledger (docs/credits.md)
//   remaining   = max(0, committed − delivered − substituted), per commitment
// A contract's totals are the sums of its commitments' figures. Quantities are
// thousandths of a unit and all operands are non-negative, so SQLite's integer
// division is floor and `(x + 500) / 1000` rounds half up, exactly as
// valueOfQuantity() in figures.ts does.
// The officer's contract page, the list and the contractor's home page all use
// the functions below, so their figures cannot differ.

export const CONTRACTS_PAGE_SIZE = 25;

/** Whose contracts a user may see: staff every contract; anyone else only their own organisation's. */
export interface ContractScope {
  supplierId: string | null;
}

export function scopeFor(user: Pick<SessionUser, 'role' | 'organisationId'>): ContractScope {
  return { supplierId: can(user.role, 'contract:manage') ? null : user.organisationId };
}

const valueOf = (milliColumn: string): RawBuilder<number> =>
  sql<number>`((${sql.ref(milliColumn)} * cm.proxy_value_pence + 500) / 1000)`;

const COMMITTED = valueOf('cm.target_milli');
const DELIVERED = valueOf('cm.delivered_milli');
/** The ledger's figure (issue #5): the balance of the commitment's 'substituted' account, the sum of its swaps' postings. */
const SUBSTITUTED = sql<number>`coalesce((SELECT la.balance_pence FROM ledger_account la WHERE la.contract_id = cm.contract_id AND la.kind = 'substituted' AND ifnull(la.commitment_id, '') = cm.id), 0)`;
const REMAINING = sql<number>`max(0, ${COMMITTED} - ${DELIVERED} - ${SUBSTITUTED})`;
/** Delivered plus substituted has not reached the target. */
const NOT_MET = sql<boolean>`(cm.delivered_milli + cm.substituted_milli) < cm.target_milli`;

/** One commitment with its measure, ward, contract dates and figures. */
function commitmentRows(db: DbOrTx) {
  return db
    .selectFrom('commitment as cm')
    .innerJoin('contract as c', 'c.id', 'cm.contract_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .leftJoin('ward as w', 'w.id', 'cm.ward_id')
    .select([
      'cm.id', 'cm.contract_id as contractId', 'c.reference as contractReference', 'c.title as contractTitle',
      'c.start_date as contractStartDate', 'c.status as contractStatus',
      'cm.measure_id as measureId', 'm.code as measureCode', 'm.title as measureTitle', 'm.unit', 'm.theme',
      'cm.ward_id as wardId', 'w.name as wardName', 'cm.due_date as dueDate', 'cm.description',
      'cm.target_milli as targetMilli', 'cm.proxy_value_pence as proxyValuePence',
      'cm.delivered_milli as deliveredMilli', 'cm.substituted_milli as substitutedMilli', 'cm.updated_at as updatedAt',
      COMMITTED.as('committedPence'), DELIVERED.as('deliveredPence'), SUBSTITUTED.as('substitutedPence'), REMAINING.as('remainingPence'),
    ]);
}

type CommitmentRow = Awaited<ReturnType<ReturnType<typeof commitmentRows>['execute']>>[number];
export type CommitmentFigures = CommitmentRow & { status: CommitmentStatus };

/** Adds the status (docs/commitment-status.md) with today's date in the UK. */
function withStatus(rows: CommitmentRow[], today: string): CommitmentFigures[] {
  return rows.map((row) => ({
    ...row,
    status: commitmentStatus({
      targetMilli: row.targetMilli,
      achievedMilli: row.deliveredMilli + row.substitutedMilli,
      startDate: row.contractStartDate,
      dueDate: row.dueDate,
      today,
    }),
  }));
}

/** A contract's commitments, soonest due first. */
export async function listCommitmentFigures(db: DbOrTx, contractId: string, today: string): Promise<CommitmentFigures[]> {
  const rows = await commitmentRows(db).where('cm.contract_id', '=', contractId).orderBy('cm.due_date').orderBy('m.code').orderBy('cm.id').execute();
  return withStatus(rows, today);
}

/** One commitment of one contract (undefined if the commitment is not that contract's). */
export async function findCommitmentFigures(db: DbOrTx, contractId: string, commitmentId: string, today: string): Promise<CommitmentFigures | undefined> {
  const row = await commitmentRows(db).where('cm.contract_id', '=', contractId).where('cm.id', '=', commitmentId).executeTakeFirst();
  return row ? withStatus([row], today)[0] : undefined;
}

export interface ContractTotals {
  commitments: number;
  committedPence: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
}

export const ZERO_TOTALS: ContractTotals = { commitments: 0, committedPence: 0, deliveredPence: 0, substitutedPence: 0, remainingPence: 0 };

/** Totals per contract, summed in SQL over the commitment_contract index. */
export async function contractTotals(db: DbOrTx, contractIds: readonly string[]): Promise<Map<string, ContractTotals>> {
  const totals = new Map<string, ContractTotals>();
  if (contractIds.length === 0) return totals;
  const rows = await db
    .selectFrom('commitment as cm')
    .select([
      'cm.contract_id as contractId',
      sql<number>`count(*)`.as('commitments'),
      sql<number>`sum(${COMMITTED})`.as('committedPence'),
      sql<number>`sum(${DELIVERED})`.as('deliveredPence'),
      sql<number>`sum(${SUBSTITUTED})`.as('substitutedPence'),
      sql<number>`sum(${REMAINING})`.as('remainingPence'),
    ])
    .where('cm.contract_id', 'in', [...contractIds])
    .groupBy('cm.contract_id')
    .execute();
  for (const { contractId, ...row } of rows) totals.set(contractId, row);
  return totals;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function filteredContracts(db: DbOrTx, scope: ContractScope, filters: Partial<ContractFilters>) {
  let query = db
    .selectFrom('contract as c')
    .innerJoin('organisation as s', 's.id', 'c.supplier_id')
    .innerJoin('user as o', 'o.id', 'c.officer_id');
  // Scoping is part of the query: a contractor's list can only ever hold their organisation's contracts.
  if (scope.supplierId !== null) query = query.where('c.supplier_id', '=', scope.supplierId);
  else if (filters.supplier) query = query.where('c.supplier_id', '=', filters.supplier);
  if (filters.officer) query = query.where('c.officer_id', '=', filters.officer);
  if (filters.status) query = query.where('c.status', '=', filters.status);
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    query = query.where(sql<boolean>`(c.reference LIKE ${pattern} ESCAPE '\\' OR c.title LIKE ${pattern} ESCAPE '\\')`);
  }
  if (filters.theme) {
    const theme = filters.theme;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('commitment as t').innerJoin('measure as tm', 'tm.id', 't.measure_id').select('t.id').whereRef('t.contract_id', '=', 'c.id').where('tm.theme', '=', theme)),
    );
  }
  if (filters.ward) {
    const ward = filters.ward;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('commitment as wc').select('wc.id').whereRef('wc.contract_id', '=', 'c.id').where('wc.ward_id', '=', ward)),
    );
  }
  return query;
}

const SORT_COLUMNS = {
  reference: sql`c.reference`,
  title: sql`c.title COLLATE NOCASE`,
  'end-date': sql`c.end_date`,
  value: sql`c.value_pence`,
  supplier: sql`s.name COLLATE NOCASE`,
} as const;

/** One page of contracts with their totals: the page is chosen in SQL, then only its totals are summed. */
export async function listContracts(db: DbOrTx, scope: ContractScope, filters: Partial<ContractFilters>, page = 1, pageSize = CONTRACTS_PAGE_SIZE) {
  const sort = filters.sort ?? 'reference';
  const order = filters.order ?? 'asc';
  const [count, rows] = await Promise.all([
    filteredContracts(db, scope, filters).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    filteredContracts(db, scope, filters)
      .select([
        'c.id', 'c.reference', 'c.title', 'c.supplier_id as supplierId', 's.name as supplierName', 'c.value_pence as valuePence',
        'c.start_date as startDate', 'c.end_date as endDate', 'c.status', 'c.officer_id as officerId', 'o.name as officerName',
      ])
      .orderBy(SORT_COLUMNS[sort], order)
      .orderBy('c.reference', order)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  const totals = await contractTotals(db, rows.map((r) => r.id));
  return {
    total: Number(count.n),
    contracts: rows.map((row) => ({ ...row, totals: totals.get(row.id) ?? ZERO_TOTALS })),
  };
}

export type ContractListRow = Awaited<ReturnType<typeof listContracts>>['contracts'][number];

/** A contractor's next commitments: not met, due today or later, soonest first. */
export async function dueNext(db: DbOrTx, supplierId: string, today: string, limit = 5): Promise<CommitmentFigures[]> {
  const rows = await commitmentRows(db)
    .where('c.supplier_id', '=', supplierId)
    .where('c.status', '=', 'active')
    .where('cm.due_date', '>=', today)
    .where(NOT_MET)
    .orderBy('cm.due_date')
    .orderBy('c.reference')
    .orderBy('cm.id')
    .limit(limit)
    .execute();
  return withStatus(rows, today);
}

/** Upper bound on the unmet commitments read for the at-risk list (a supplier has far fewer). */
export const FLAGGED_SCAN_LIMIT = 1000;

/** A contractor's commitments on active contracts that are at risk, behind or overdue, soonest due first. */
export async function flaggedCommitments(db: DbOrTx, supplierId: string, today: string): Promise<CommitmentFigures[]> {
  const rows = await commitmentRows(db)
    .where('c.supplier_id', '=', supplierId)
    .where('c.status', '=', 'active')
    .where(NOT_MET)
    .orderBy('cm.due_date')
    .orderBy('c.reference')
    .orderBy('cm.id')
    .limit(FLAGGED_SCAN_LIMIT)
    .execute();
  return withStatus(rows, today).filter((r) => r.status === 'at_risk' || r.status === 'behind' || r.status === 'overdue');
}
