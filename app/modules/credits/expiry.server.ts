import type { Db, DbOrTx } from '#db/client';
import { recordAudit, systemActor, type Actor } from '~/modules/audit/audit.server';
import { formatPence } from '~/modules/contracts/figures';
import { formatDate } from '~/utils/time';
import { bookTransaction, contractBalance, LedgerError } from './ledger.server';
import { getCreditPolicy } from './policy.server';

// Credits that expire with the contract (docs/credits.md, "Expiry"), when the
// credit policy says so: closing a contract books an expiry of its remaining
// balance in the closing transaction (approved by the officer who closed it),
// and the jobs command expires the balance of active contracts whose end date
// has passed (approved by nobody: the policy decided it).
//
// One expiry per event, by its source: the contract's id for its closure, and
// "<contract id>@<end date>" for its end date passing. So the nightly job never
// books the same end date twice, and never undoes an officer's reversal of it.

export interface ExpiryBooking {
  transactionId: string;
  pence: number;
}

/** Books the expiry of the whole balance (Dr expired, Cr balance); null when the balance is empty. */
export async function expireBalance(tx: DbOrTx, contractId: string, { sourceId, reason, approvedBy, at }: { sourceId: string; reason: string; approvedBy: string | null; at?: string }): Promise<ExpiryBooking | null> {
  const pence = await contractBalance(tx, contractId);
  if (pence <= 0) return null;
  const transactionId = await bookTransaction(tx, {
    contractId, kind: 'expiry', sourceType: 'contract', sourceId, reason, approvedBy, at,
    postings: [{ kind: 'expired', amountPence: pence }, { kind: 'balance', amountPence: -pence }],
  });
  return { transactionId, pence };
}

/** In the closing transaction: expires the balance if the policy says credits expire with the contract. */
export async function expireOnClose(tx: DbOrTx, contractId: string, { status, closedBy, at }: { status: string; closedBy: string | null; at: string }): Promise<ExpiryBooking | null> {
  const policy = await getCreditPolicy(tx);
  if (!policy.creditsExpireWithContract) return null;
  return expireBalance(tx, contractId, {
    sourceId: contractId, approvedBy: closedBy, at,
    reason: `Unspent credits expired: the contract was marked ${status} on ${formatDate(at)}, and the council\u2019s credit policy says credits expire with the contract`,
  });
}

export const endDateSource = (contractId: string, endDate: string) => `${contractId}@${endDate}`;

/**
 * For the jobs command: expires the balances of active contracts whose end
 * date is before `today` (London), once per end date, when the policy says so.
 */
export async function expireEndedContracts(db: Db, today: string, actor: Actor = systemActor): Promise<{ contracts: number; pence: number }> {
  const policy = await getCreditPolicy(db);
  if (!policy.creditsExpireWithContract) return { contracts: 0, pence: 0 };
  const candidates = await db
    .selectFrom('contract as c')
    .innerJoin('ledger_account as a', (join) => join.onRef('a.contract_id', '=', 'c.id').on('a.kind', '=', 'balance'))
    .select(['c.id', 'c.end_date as endDate', 'c.reference'])
    .where('c.status', '=', 'active')
    .where('c.end_date', '<', today)
    .where('a.balance_pence', '>', 0)
    .execute();
  let contracts = 0;
  let pence = 0;
  for (const c of candidates) {
    const sourceId = endDateSource(c.id, c.endDate);
    try {
      const booked = await db.transaction().execute(async (tx) => {
        const done = await tx.selectFrom('ledger_transaction').select('id').where('kind', '=', 'expiry').where('source_type', '=', 'contract').where('source_id', '=', sourceId).executeTakeFirst();
        if (done) return null;
        const result = await expireBalance(tx, c.id, { sourceId, approvedBy: null, reason: `Unspent credits expired: the contract ended on ${formatDate(c.endDate)}, and the council\u2019s credit policy says credits expire with the contract` });
        if (result) {
          await recordAudit(tx, actor, { action: 'ledger.expired', subjectType: 'contract', subjectId: c.id, after: { transactionId: result.transactionId, pence: result.pence, endDate: c.endDate } });
        }
        return result;
      });
      if (booked) {
        contracts += 1;
        pence += booked.pence;
      }
    } catch (error) {
      // Another process booked it first (or spent the balance meanwhile): the next run looks again.
      if (!(error instanceof LedgerError)) throw error;
    }
  }
  return { contracts, pence };
}

export const describeExpiry = (r: { contracts: number; pence: number }) =>
  `expired credits on ${r.contracts} ended contract${r.contracts === 1 ? '' : 's'} (${formatPence(r.pence)})`;
