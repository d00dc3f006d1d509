import { getDb } from '../../db/client';
import type { Actor } from '~/modules/audit/audit.server';
import { bookTransaction } from '~/modules/credits/ledger.server';
import { newId } from '~/utils/ids.server';
import { makeCommitment, makeContract, makeMeasure, makeUser } from './factories';

// Swaps: a supplier with a contractor user, an officer, an active contract and
// a commitment (10 units at £1,000 a unit, nothing delivered yet).

export const actorOf = (user: { id: string; organisationId: string }): Actor => ({ userId: user.id, organisationId: user.organisationId, requestId: 'test' });

export async function makeSwapSetup({ theme = 'Jobs', targetMilli = 10_000, proxyPence = 100_000, deliveredMilli = 0 }: { theme?: string; targetMilli?: number; proxyPence?: number; deliveredMilli?: number } = {}) {
  const officer = await makeUser('officer');
  const contractor = await makeUser('contractor');
  const contract = await makeContract({ supplierId: contractor.organisationId, officerId: officer.id });
  const measure = await makeMeasure({ theme, proxyPence });
  const commitment = await makeCommitment(contract.id, measure.id, { targetMilli, deliveredMilli });
  return { officer, contractor, contract, measure, commitment };
}

/** Banks credits on a contract's balance, as an approved surplus would. */
export async function fundBalance(contractId: string, officerId: string, pence: number) {
  await getDb().transaction().execute((tx) => bookTransaction(tx, {
    contractId, kind: 'earned', sourceType: 'progress_return', sourceId: newId(), reason: 'Test surplus', approvedBy: officerId,
    postings: [{ kind: 'balance', amountPence: pence }, { kind: 'earned', amountPence: -pence }],
  }));
}
