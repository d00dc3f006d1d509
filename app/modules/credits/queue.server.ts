import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { CreditRequestStatus } from '#db/schema';
import { likeContains } from '~/utils/sql-like';
import type { QueueType, QueueView } from './queue.schema';

// The officer's queue of credit requests: claims and swaps together, oldest
// first, counted and paged in SQL. Swaps are read from credit_swap directly
// (their pages, /credits/swaps/$swapId, belong to the swaps feature).

export const CREDIT_QUEUE_PAGE_SIZE = 25;


export interface CreditQueueFilters {
  view: QueueView;
  type?: QueueType;
  /** Contract id, or part of its reference or title. */
  contract?: string;
  supplier?: string;
}

const DECIDED: CreditRequestStatus[] = ['approved', 'rejected', 'withdrawn'];

function requests(db: DbOrTx, filters: CreditQueueFilters) {
  const statuses: CreditRequestStatus[] = filters.view === 'pending' ? ['requested'] : DECIDED;
  const claims = db
    .selectFrom('credit_claim as r')
    .leftJoin('measure as m', 'm.id', 'r.measure_id')
    .select([
      sql<QueueType>`'claim'`.as('type'), 'r.id', 'r.status', 'r.contract_id as contractId', 'r.supplier_id as supplierId', 'r.created_at as createdAt',
      'r.decided_at as decidedAt', 'r.requested_value_pence as valuePence', 'r.approved_value_pence as approvedValuePence',
      sql<string>`CASE WHEN r.kind = 'pledge' THEN 'Wishlist pledge' ELSE 'Activity: ' || coalesce(m.code, '') END`.as('summary'),
    ])
    .where('r.status', 'in', statuses);
  const swaps = db
    .selectFrom('credit_swap as r')
    .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select([
      sql<QueueType>`'swap'`.as('type'), 'r.id', 'r.status', 'r.contract_id as contractId', 'r.supplier_id as supplierId', 'r.created_at as createdAt',
      'r.decided_at as decidedAt', 'r.value_pence as valuePence', sql<number | null>`NULL`.as('approvedValuePence'),
      sql<string>`CASE WHEN r.method = 'credits' THEN 'Credits for ' ELSE 'Another measure for ' END || m.code`.as('summary'),
    ])
    .where('r.status', 'in', statuses);
  const union = filters.type === 'claim' ? claims : filters.type === 'swap' ? swaps : claims.unionAll(swaps);
  let query = db
    .selectFrom(union.as('q'))
    .innerJoin('contract as c', 'c.id', 'q.contractId')
    .innerJoin('organisation as s', 's.id', 'q.supplierId');
  if (filters.contract) {
    const text = filters.contract;
    query = query.where((eb) => eb.or([
      eb('c.id', '=', text),
      sql<boolean>`c.reference LIKE ${likeContains(text)} ESCAPE '\\'`,
      sql<boolean>`c.title LIKE ${likeContains(text)} ESCAPE '\\'`,
    ]));
  }
  if (filters.supplier) query = query.where('q.supplierId', '=', filters.supplier);
  return query;
}

/** One page of the queue: pending oldest first; decided most recently decided first. */
export async function listCreditQueue(db: DbOrTx, filters: CreditQueueFilters, page = 1, { pageSize = CREDIT_QUEUE_PAGE_SIZE, now = new Date() } = {}) {
  const pending = filters.view === 'pending';
  const [count, rows] = await Promise.all([
    requests(db, filters).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    requests(db, filters)
      .select([
        'q.type', 'q.id', 'q.status', 'q.createdAt', 'q.decidedAt', 'q.valuePence', 'q.approvedValuePence', 'q.summary',
        'c.id as contractId', 'c.reference as contractReference', 's.name as supplierName',
      ])
      .orderBy(pending ? 'q.createdAt' : 'q.decidedAt', pending ? 'asc' : 'desc')
      .orderBy('q.id', pending ? 'asc' : 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    requests: rows.map((row) => ({
      ...row,
      href: row.type === 'claim' ? `/credits/claims/${row.id}` : `/credits/swaps/${row.id}`,
      ageDays: Math.max(0, Math.floor((now.getTime() - new Date(row.createdAt).getTime()) / 86_400_000)),
    })),
  };
}

export type CreditQueueRow = Awaited<ReturnType<typeof listCreditQueue>>['requests'][number];

/** How many claims and swaps wait for a decision. */
export async function countPendingCredits(db: DbOrTx): Promise<{ claims: number; swaps: number }> {
  const [claims, swaps] = await Promise.all([
    db.selectFrom('credit_claim').select(sql<number>`count(*)`.as('n')).where('status', '=', 'requested').executeTakeFirstOrThrow(),
    db.selectFrom('credit_swap').select(sql<number>`count(*)`.as('n')).where('status', '=', 'requested').executeTakeFirstOrThrow(),
  ]);
  return { claims: Number(claims.n), swaps: Number(swaps.n) };
}

/** Suppliers that have made a claim or a swap (the queue's filter). */
export function listCreditSuppliers(db: DbOrTx) {
  return db.selectFrom('organisation as s').select(['s.id', 's.name'])
    .where('s.kind', '=', 'supplier')
    .where((eb) => eb.or([
      eb.exists(eb.selectFrom('credit_claim as c').select('c.id').whereRef('c.supplier_id', '=', 's.id')),
      eb.exists(eb.selectFrom('credit_swap as w').select('w.id').whereRef('w.supplier_id', '=', 's.id')),
    ]))
    .orderBy(sql`s.name COLLATE NOCASE`)
    .execute();
}
