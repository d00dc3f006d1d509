import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { PledgeStatus, Role } from '#db/schema';
import { can } from '~/auth/permissions';
import type { PledgeSide } from './lifecycle';
import { HISTORY_LABELS, STEP_ACTIONS } from './pledges.schema';

// Reading pledges, scoped to who asks, in the query itself:
//   a contractor sees its own organisation's pledges (the supplier's);
//   a VCSE user sees pledges made to its own organisation's items;
//   council staff see every pledge, read-only;
//   anyone else sees nothing (another organisation's pledge is simply not found).

export const PLEDGES_PAGE_SIZE = 25;

export interface PledgeViewer {
  id: string;
  role: Role;
  organisationId: string;
}

export const isPledgeStaff = (viewer: Pick<PledgeViewer, 'role'>) => can(viewer.role, 'wishlist:moderate');

function pledgeRows(db: DbOrTx) {
  return db
    .selectFrom('pledge as p')
    .innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
    .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
    .innerJoin('organisation as s', 's.id', 'p.supplier_id')
    .leftJoin('contract as c', 'c.id', 'p.contract_id')
    .leftJoin('ward as w', 'w.id', 'i.ward_id');
}

/** Narrows a pledge query to what the viewer may see; null when the viewer may see none. */
function scoped(query: ReturnType<typeof pledgeRows>, viewer: PledgeViewer) {
  if (isPledgeStaff(viewer)) return query;
  if (viewer.role === 'contractor') return query.where('p.supplier_id', '=', viewer.organisationId);
  if (viewer.role === 'vcse') return query.where('i.organisation_id', '=', viewer.organisationId);
  return null;
}

/** The pledge with its item, both organisations and its contract, if this viewer may see it. */
export async function findPledgeForViewer(db: DbOrTx, pledgeId: string, viewer: PledgeViewer) {
  const query = scoped(pledgeRows(db), viewer);
  if (!query) return undefined;
  return query
    .selectAll('p')
    .select([
      'i.title as itemTitle', 'i.status as itemStatus', 'i.estimated_value_pence as itemEstimatePence', 'i.organisation_id as recipientId',
      'i.theme as itemTheme', 'i.needed_by as itemNeededBy', 'w.name as itemWardName', 'w.is_priority as itemWardPriority',
      'v.name as recipientName', 's.name as supplierName', 'c.reference as contractReference', 'c.title as contractTitle',
    ])
    .where('p.id', '=', pledgeId)
    .executeTakeFirst();
}

export type PledgeDetail = NonNullable<Awaited<ReturnType<typeof findPledgeForViewer>>>;

/** Which side of a pledge the viewer is on (null for staff and everyone else). */
export function sideOf(pledge: { supplier_id: string; recipientId: string }, viewer: PledgeViewer): PledgeSide | null {
  if (viewer.role === 'contractor' && viewer.organisationId === pledge.supplier_id) return 'supplier';
  if (viewer.role === 'vcse' && viewer.organisationId === pledge.recipientId) return 'recipient';
  return null;
}

/** One page of the viewer's pledges, most recently changed first; counted and paged in SQL. */
export async function listPledges(db: DbOrTx, viewer: PledgeViewer, filters: { status?: PledgeStatus }, page = 1, pageSize = PLEDGES_PAGE_SIZE) {
  const base = scoped(pledgeRows(db), viewer);
  if (!base) return { total: 0, pledges: [] };
  const filtered = filters.status ? base.where('p.status', '=', filters.status) : base;
  const [count, rows] = await Promise.all([
    filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    filtered
      .select([
        'p.id', 'p.status', 'p.description', 'p.value_pence as valuePence', 'p.expected_date as expectedDate', 'p.updated_at as updatedAt',
        'p.item_id as itemId', 'i.title as itemTitle', 'v.name as recipientName', 's.name as supplierName', 'c.reference as contractReference',
      ])
      .orderBy('p.updated_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { total: Number(count.n), pledges: rows };
}

export type PledgeListRow = Awaited<ReturnType<typeof listPledges>>['pledges'][number];

/** Pledges waiting for this viewer's side to act (the list page's summary). */
export async function countAwaitingViewer(db: DbOrTx, viewer: PledgeViewer): Promise<number> {
  const base = scoped(pledgeRows(db), viewer);
  if (!base || isPledgeStaff(viewer)) return 0;
  const waiting: PledgeStatus[] = viewer.role === 'vcse' ? ['offered', 'delivered'] : ['accepted', 'disputed'];
  const row = await base.select(sql<number>`count(*)`.as('n')).where('p.status', 'in', waiting).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An item's pledges, newest first, for its owner's page (the caller checks the item is the owner's). */
export function listItemPledges(db: DbOrTx, itemId: string) {
  return db
    .selectFrom('pledge as p')
    .innerJoin('organisation as s', 's.id', 'p.supplier_id')
    .select(['p.id', 'p.status', 'p.description', 'p.value_pence as valuePence', 'p.expected_date as expectedDate', 'p.created_at as createdAt', 's.name as supplierName'])
    .where('p.item_id', '=', itemId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
}

/** How many of an item's pledges wait for its organisation's answer (the edit page says they stay). */
export async function countWaitingOffers(db: DbOrTx, itemId: string): Promise<number> {
  const row = await db.selectFrom('pledge').select(sql<number>`count(*)`.as('n')).where('item_id', '=', itemId).where('status', '=', 'offered').executeTakeFirstOrThrow();
  return Number(row.n);
}

const ACTION_TO_STEP = new Map(Object.entries(STEP_ACTIONS).map(([step, action]) => [action, step as keyof typeof HISTORY_LABELS]));

/**
 * The steps so far, oldest first, with who took each and when: read from the
 * audit trail, which every step writes in its own transaction (append-only).
 */
export async function pledgeHistory(db: DbOrTx, pledgeId: string) {
  const rows = await db
    .selectFrom('audit_event as a')
    .leftJoin('user as u', 'u.id', 'a.actor_user_id')
    .leftJoin('organisation as o', 'o.id', 'a.actor_organisation_id')
    .select(['a.id', 'a.action', 'a.occurred_at as at', 'a.after_json as after', 'u.name as userName', 'o.name as organisationName'])
    .where('a.subject_type', '=', 'pledge')
    .where('a.subject_id', '=', pledgeId)
    .where('a.action', 'in', [...ACTION_TO_STEP.keys()])
    .orderBy('a.id')
    .execute();
  return rows.map((row) => {
    const step = ACTION_TO_STEP.get(row.action)!;
    let text: string | null = null;
    try {
      // Steps taken elsewhere (the owner withdrawing the item declines its offers) may name the reason response_reason.
      const after = row.after ? (JSON.parse(row.after) as { reason?: unknown; note?: unknown; response_reason?: unknown }) : {};
      const value = step === 'deliver' ? after.note : (after.reason ?? after.response_reason);
      text = typeof value === 'string' && value ? value : null;
    } catch {
      text = null;
    }
    return { id: row.id, step, label: HISTORY_LABELS[step], at: row.at, by: row.userName, organisation: row.organisationName, text };
  });
}

export type PledgeHistoryEntry = Awaited<ReturnType<typeof pledgeHistory>>[number];

/** The live credit claim (requested or approved) this pledge backs, if any: a pledge backs one at most. */
export function liveClaimFor(db: DbOrTx, pledgeId: string) {
  return db
    .selectFrom('credit_claim')
    .select(['id', 'status'])
    .where('pledge_id', '=', pledgeId)
    .where('status', 'in', ['requested', 'approved'])
    .executeTakeFirst();
}

/** The supplier's active contracts, for the pledge form's optional "which contract" question. */
export function activeContractsOf(db: DbOrTx, supplierId: string) {
  return db
    .selectFrom('contract')
    .select(['id', 'reference', 'title'])
    .where('supplier_id', '=', supplierId)
    .where('status', '=', 'active')
    .orderBy('reference')
    .execute();
}

/** A public item (published, pledged or fulfilled) as the pledge form shows it; undefined for any other. */
export function findItemToPledge(db: DbOrTx, itemId: string) {
  return db
    .selectFrom('wishlist_item as i')
    .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .select([
      'i.id', 'i.title', 'i.description', 'i.status', 'i.category', 'i.theme', 'i.estimated_value_pence as estimatePence',
      'i.quantity_detail as quantityDetail', 'i.needed_by as neededBy', 'w.name as wardName', 'v.name as organisationName',
    ])
    .where('i.id', '=', itemId)
    .where('i.status', 'in', ['published', 'pledged', 'fulfilled'])
    .executeTakeFirst();
}
