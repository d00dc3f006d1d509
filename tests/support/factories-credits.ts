import { getDb } from '../../db/client';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { bookTransaction } from '~/modules/credits/ledger.server';
import { newId } from '~/utils/ids.server';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from './factories';

// Credits test data on the real database: ledger bookings as the services
// (surplus banking, claim and swap approvals) would have left them.

/** Earned credits on a contract's balance, as a surplus approval books them (source: a made-up return id). */
export async function earnCredits(contractId: string, officerId: string, pence: number, reason = 'Delivered beyond the target') {
  return getDb().transaction().execute((tx) => bookTransaction(tx, {
    contractId, kind: 'earned', sourceType: 'progress_return', sourceId: newId(), reason, approvedBy: officerId,
    postings: [{ kind: 'balance', amountPence: pence }, { kind: 'earned', amountPence: -pence }],
  }));
}

/**
 * An approved swap as decideSwap leaves it: the swap row, commitment A's
 * substituted quantity raised, for a measure swap commitment B's target raised
 * (B must exist), and the ledger booked. Returns the swap and transaction ids.
 */
export async function approvedSwap({ contractId, supplierId, commitmentId, officerId, createdBy, quantityMilli, valuePence, method = 'credits', to }: {
  contractId: string; supplierId: string; commitmentId: string; officerId: string; createdBy: string; quantityMilli: number; valuePence: number;
  method?: 'credits' | 'measure';
  to?: { commitmentId: string; measureId: string; quantityMilli: number; proxyPence: number; valuePence: number };
}) {
  const id = newId();
  const now = new Date().toISOString();
  return getDb().transaction().execute(async (tx) => {
    await tx.insertInto('credit_swap').values({
      id, contract_id: contractId, supplier_id: supplierId, commitment_id: commitmentId, method, quantity_milli: quantityMilli, value_pence: valuePence,
      to_measure_id: to?.measureId ?? null, to_commitment_id: to?.commitmentId ?? null, to_quantity_milli: to?.quantityMilli ?? null,
      to_proxy_value_pence: to?.proxyPence ?? null, to_value_pence: to?.valuePence ?? null, to_due_date: null, reason: 'Cannot deliver',
      status: 'approved', decision_reason: 'Fine', decided_by: officerId, decided_at: now, created_by: createdBy, created_at: now, updated_at: now,
    }).execute();
    await tx.updateTable('commitment').set((eb) => ({ substituted_milli: eb('substituted_milli', '+', quantityMilli) })).where('id', '=', commitmentId).execute();
    if (to) await tx.updateTable('commitment').set((eb) => ({ target_milli: eb('target_milli', '+', to.quantityMilli) })).where('id', '=', to.commitmentId).execute();
    const transactionId = await bookTransaction(tx, {
      contractId, kind: 'swap', sourceType: 'credit_swap', sourceId: id, reason: 'Swap approved', approvedBy: officerId,
      postings: [
        { kind: 'substituted', commitmentId, amountPence: valuePence },
        method === 'credits' ? { kind: 'balance', amountPence: -valuePence } : { kind: 'substitute', commitmentId: to!.commitmentId, amountPence: -valuePence },
      ],
    });
    return { id, transactionId };
  });
}

/** A supplier with a contractor, an officer, a contract and one commitment (target 2 at £100 a unit unless told). */
export async function creditsScenario({ targetMilli = 2000, proxyPence = 10_000, deliveredMilli = 0, startDate, endDate }: { targetMilli?: number; proxyPence?: number; deliveredMilli?: number; startDate?: string; endDate?: string } = {}) {
  const supplier = await makeOrganisation('supplier');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const officer = await makeUser('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, startDate, endDate });
  const measure = await makeMeasure({ proxyPence });
  const commitment = await makeCommitment(contract.id, measure.id, { targetMilli, deliveredMilli });
  return { supplier, contractor, officer, contract, measure, commitment };
}

/** The ledger side of a quantity already substituted on a commitment's row: credits earned, then spent on it by a swap. */
export async function bookSubstitution(contractId: string, commitmentId: string, pence: number) {
  if (pence <= 0) return;
  const { officer_id: officerId } = await getDb().selectFrom('contract').select('officer_id').where('id', '=', contractId).executeTakeFirstOrThrow();
  await earnCredits(contractId, officerId, pence);
  await getDb().transaction().execute((tx) => bookTransaction(tx, {
    contractId, kind: 'swap', sourceType: 'credit_swap', sourceId: newId(), reason: 'Swap approved', approvedBy: officerId,
    postings: [{ kind: 'substituted', commitmentId, amountPence: pence }, { kind: 'balance', amountPence: -pence }],
  }));
}

/**
 * makeCommitment, with the ledger booked for its substituted quantity (at its
 * proxy value), as approved swaps leave it: the contract page reads the
 * substituted value from the ledger.
 */
export async function makeCommitmentWithSubstitution(contractId: string, measureId: string, options: Parameters<typeof makeCommitment>[2] = {}) {
  const commitment = await makeCommitment(contractId, measureId, options);
  if (options.substitutedMilli) await bookSubstitution(contractId, commitment.id, valueOfQuantity(options.substitutedMilli, commitment.proxyPence));
  return commitment;
}
