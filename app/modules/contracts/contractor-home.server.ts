import type { DbOrTx } from '#db/client';
import type { SessionUser } from '~/auth/session.server';
import { dueNext, flaggedCommitments, listContracts, scopeFor } from './contract-figures.server';
import { londonToday } from './dates';
import { formatPence } from './figures';
import { presentCommitment } from './present';
import { formatDate } from '~/utils/time';

/** Active contracts shown on the contractor's home page (the rest are a link away). */
export const HOME_CONTRACTS = 10;
/** Commitments shown under "What is due next". */
export const HOME_DUE_NEXT = 5;

// A contractor's home page: their organisation's active contracts with their
// totals, what is due next, and what is at risk, behind or overdue. The
// figures come from the same functions as the contract pages, so they match.
export async function contractorHome(db: DbOrTx, user: Pick<SessionUser, 'role' | 'organisationId'>, today = londonToday()) {
  const scope = scopeFor(user);
  const supplierId = scope.supplierId ?? user.organisationId;
  const [{ total, contracts }, next, flagged] = await Promise.all([
    listContracts(db, scope, { status: 'active', sort: 'end-date', order: 'asc' }, 1, HOME_CONTRACTS),
    dueNext(db, supplierId, today, HOME_DUE_NEXT),
    flaggedCommitments(db, supplierId, today),
  ]);
  return {
    activeContracts: total,
    contracts: contracts.map((c) => ({
      id: c.id, reference: c.reference, title: c.title, ends: formatDate(c.endDate),
      committed: formatPence(c.totals.committedPence), delivered: formatPence(c.totals.deliveredPence), remaining: formatPence(c.totals.remainingPence),
    })),
    dueNext: next.map(presentCommitment),
    flagged: flagged.map(presentCommitment),
  };
}

export type ContractorHomeData = Awaited<ReturnType<typeof contractorHome>>;
