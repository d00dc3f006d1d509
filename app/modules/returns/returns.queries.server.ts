import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { ReturnStatus, Role } from '#db/schema';
import { can } from '~/auth/permissions';

// Reading returns, scoped to who asks: a contractor sees their own
// organisation's returns (another supplier's is simply not found); staff see
// every return except drafts, which stay the contractor's private work.

export const RETURNS_PAGE_SIZE = 25;

export interface Viewer {
  id: string;
  role: Role;
  organisationId: string;
}

export const isStaff = (viewer: Pick<Viewer, 'role'>) => can(viewer.role, 'return:review');

/** The return with its commitment, measure, contract and supplier, if this viewer may see it. */
export async function findReturnForViewer(db: DbOrTx, returnId: string, viewer: Viewer) {
  let query = db
    .selectFrom('progress_return as r')
    .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .innerJoin('contract as c', 'c.id', 'r.contract_id')
    .innerJoin('organisation as s', 's.id', 'r.supplier_id')
    .leftJoin('user as d', 'd.id', 'r.decided_by')
    .selectAll('r')
    .select([
      'cm.description as commitmentDescription', 'cm.target_milli as targetMilli', 'cm.due_date as commitmentDue',
      'm.code as measureCode', 'm.title as measureTitle', 'm.unit',
      'c.reference as contractReference', 'c.title as contractTitle', 'c.status as contractStatus', 'c.officer_id as officerId',
      's.name as supplierName', 'd.name as decidedByName',
    ])
    .where('r.id', '=', returnId);
  if (isStaff(viewer)) query = query.where('r.status', '!=', 'draft');
  else if (viewer.role === 'contractor') query = query.where('r.supplier_id', '=', viewer.organisationId);
  else return undefined;
  return query.executeTakeFirst();
}

export type ReturnDetail = NonNullable<Awaited<ReturnType<typeof findReturnForViewer>>>;

/** The return's evidence, files and links, in the order added. */
export function listEvidence(db: DbOrTx, returnId: string) {
  return db
    .selectFrom('return_evidence')
    .select(['id', 'kind', 'file_name', 'content_type', 'size_bytes', 'url', 'title', 'created_at'])
    .where('return_id', '=', returnId)
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
}

/** The thread: comments and each step of the lifecycle, oldest first, with who wrote them. */
export function listThread(db: DbOrTx, returnId: string) {
  return db
    .selectFrom('return_comment as t')
    .innerJoin('user as u', 'u.id', 't.author_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['t.id', 't.kind', 't.body', 't.created_at', 'u.name as authorName', 'u.role as authorRole', 'o.name as authorOrganisation'])
    .where('t.return_id', '=', returnId)
    .orderBy('t.created_at')
    .orderBy(sql`t.rowid`)
    .execute();
}

export interface ReturnListFilters {
  status?: ReturnStatus;
  /** Only this contract's returns. */
  contractId?: string;
  /** Only this commitment's returns. */
  commitmentId?: string;
}

function supplierReturns(db: DbOrTx, supplierId: string, filters: ReturnListFilters) {
  let query = db
    .selectFrom('progress_return as r')
    .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .innerJoin('contract as c', 'c.id', 'r.contract_id')
    .where('r.supplier_id', '=', supplierId);
  if (filters.status) query = query.where('r.status', '=', filters.status);
  if (filters.contractId) query = query.where('r.contract_id', '=', filters.contractId);
  if (filters.commitmentId) query = query.where('r.commitment_id', '=', filters.commitmentId);
  return query;
}

const LIST_COLUMNS = [
  'r.id', 'r.status', 'r.period_start as periodStart', 'r.period_end as periodEnd', 'r.quantity_milli as quantityMilli',
  'r.approved_quantity_milli as approvedQuantityMilli', 'r.is_story as isStory', 'r.created_at as createdAt', 'r.updated_at as updatedAt',
  'r.submitted_at as submittedAt', 'r.commitment_id as commitmentId', 'm.code as measureCode', 'm.title as measureTitle', 'm.unit',
  'c.id as contractId', 'c.reference as contractReference', 'c.title as contractTitle',
] as const;

/** One page of a supplier's returns, newest first. */
export async function listSupplierReturns(db: DbOrTx, supplierId: string, filters: ReturnListFilters, page = 1, pageSize = RETURNS_PAGE_SIZE) {
  const [count, rows] = await Promise.all([
    supplierReturns(db, supplierId, filters).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    supplierReturns(db, supplierId, filters)
      .select([...LIST_COLUMNS])
      .orderBy('r.created_at', 'desc')
      .orderBy(sql`r.rowid`, 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { total: Number(count.n), returns: rows };
}

export type ReturnListRow = Awaited<ReturnType<typeof listSupplierReturns>>['returns'][number];

/** A contract's returns for its page: staff see all but drafts; the supplier sees its own, drafts too. Newest first. */
export function listContractReturns(db: DbOrTx, contractId: string, viewer: Viewer, limit = 100) {
  let query = db
    .selectFrom('progress_return as r')
    .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .innerJoin('contract as c', 'c.id', 'r.contract_id')
    .select([...LIST_COLUMNS])
    .where('r.contract_id', '=', contractId);
  if (isStaff(viewer)) query = query.where('r.status', '!=', 'draft');
  else query = query.where('r.supplier_id', '=', viewer.organisationId);
  return query.orderBy('r.created_at', 'desc').orderBy(sql`r.rowid`, 'desc').limit(limit).execute();
}
