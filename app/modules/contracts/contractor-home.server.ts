import type { DbOrTx } from '#db/client';
import type { SessionUser } from '~/auth/session.server';
import { dueNext, flaggedCommitments, listContracts, scopeFor } from './contract-figures.server';
import { londonToday } from './dates';
import { formatPence } from './figures';
import { presentCommitment } from './present';
import { dueReturns, type DueReturn } from '~/modules/returns/due-returns.server';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { needsYouCouldMeet } from '~/modules/pledges/signposting.server';
import { formatDate } from '~/utils/time';

/** Active contracts shown on the contractor's home page (the rest are a link away). */
export const HOME_CONTRACTS = 10;
/** Commitments shown under "What is due next". */
export const HOME_DUE_NEXT = 5;
/** Returns listed under "Returns due", most urgent first. */
export const HOME_RETURNS_DUE = 20;

// A contractor's home page: their organisation's active contracts with their
// totals, what is due next, and what is at risk, behind or overdue. The
// figures come from the same functions as the contract pages, so they match.
export async function contractorHome(db: DbOrTx, user: Pick<SessionUser, 'role' | 'organisationId'>, today = londonToday()) {
  const scope = scopeFor(user);
  const supplierId = scope.supplierId ?? user.organisationId;
  const [{ total, contracts }, next, flagged, returns, needs] = await Promise.all([
    listContracts(db, scope, { status: 'active', sort: 'end-date', order: 'asc' }, 1, HOME_CONTRACTS),
    dueNext(db, supplierId, today, HOME_DUE_NEXT),
    flaggedCommitments(db, supplierId, today),
    getReportingPeriod(db).then((period) => dueReturns(db, { supplierId, today, period, limit: HOME_RETURNS_DUE })),
    needsYouCouldMeet(db, supplierId, today),
  ]);
  return {
    returnsDue: { items: returns.items.map(presentDueReturn), total: returns.total },
    activeContracts: total,
    contracts: contracts.map((c) => ({
      id: c.id, reference: c.reference, title: c.title, ends: formatDate(c.endDate),
      committed: formatPence(c.totals.committedPence), delivered: formatPence(c.totals.deliveredPence), remaining: formatPence(c.totals.remainingPence),
    })),
    dueNext: next.map(presentCommitment),
    flagged: flagged.map(presentCommitment),
    /** Open wishlist needs matching the flagged commitments (docs/pledges.md, "Signposting"). */
    needs,
  };
}

function presentDueReturn(r: DueReturn) {
  return {
    key: `${r.commitmentId}:${r.period.start}`,
    state: r.state,
    contractId: r.contractId,
    contractReference: r.contractReference,
    measureCode: r.measureCode,
    measureTitle: r.measureTitle,
    period: r.period.label,
    due: formatDate(r.dueDate),
    href: r.draftId
      ? `/returns/${encodeURIComponent(r.draftId)}/edit`
      : `/contracts/${encodeURIComponent(r.contractId)}/commitments/${encodeURIComponent(r.commitmentId)}/returns/new?period=${r.period.start}`,
    hasDraft: r.draftId !== null,
  };
}

export type ContractorHomeData = Awaited<ReturnType<typeof contractorHome>>;
