import { getDb } from '#db/client';
import type { ReturnStatus } from '#db/schema';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from '../../../tests/support/factories';
import { newId } from '~/utils/ids.server';

// Test data for the review tests: returns inserted directly, as a contractor's
// submission would have left them. Only imported by tests.

let period = 0;

export async function insertReturn(
  { commitmentId, contractId, supplierId, createdBy }: { commitmentId: string; contractId: string; supplierId: string; createdBy: string },
  { status = 'submitted', quantityMilli = 1000, submittedAt = new Date().toISOString(), isStory = false, narrative = 'We delivered.' }: {
    status?: ReturnStatus; quantityMilli?: number; submittedAt?: string | null; isStory?: boolean; narrative?: string;
  } = {},
) {
  const id = newId();
  // A distinct period each time: one live return per commitment and period.
  const start = new Date(Date.UTC(2026, 3, 1) + period++ * 86_400_000).toISOString().slice(0, 10);
  const now = new Date().toISOString();
  await getDb().insertInto('progress_return').values({
    id, commitment_id: commitmentId, contract_id: contractId, supplier_id: supplierId, period_start: start, period_end: start,
    quantity_milli: quantityMilli, narrative, is_story: isStory ? 1 : 0, status, approved_quantity_milli: null, decision_reason: null,
    decided_by: null, decided_at: null, submitted_at: status === 'draft' ? null : submittedAt, first_submitted_at: status === 'draft' ? null : submittedAt,
    created_by: createdBy, created_at: now, updated_at: now,
  }).execute();
  return { id, submittedAt };
}

/** A supplier with a contractor user, a contract, a commitment (target 2 FTE at £20,000 per FTE unless told) and one submitted return. */
export async function scenario({ targetMilli = 2000, deliveredMilli = 0, proxyPence = 2_000_000, quantityMilli = 1000, theme = 'Jobs', reference }: {
  targetMilli?: number; deliveredMilli?: number; proxyPence?: number; quantityMilli?: number; theme?: string; reference?: string;
} = {}) {
  const supplier = await makeOrganisation('supplier');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const officer = await makeUser('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, reference });
  const measure = await makeMeasure({ theme, unit: 'FTE', proxyPence });
  const commitment = await makeCommitment(contract.id, measure.id, { targetMilli, deliveredMilli });
  const owner = { commitmentId: commitment.id, contractId: contract.id, supplierId: supplier.id, createdBy: contractor.id };
  const ret = await insertReturn(owner, { quantityMilli });
  return { supplier, contractor, officer, contract, measure, commitment, owner, ret };
}
