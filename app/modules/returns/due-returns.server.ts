import type { DbOrTx } from '#db/client';
import { addDays, DUE_SOON_DAYS, periodsBetween, returnDueDate, type Period, type ReportingPeriod } from './periods';

// Which progress returns a supplier owes: for each commitment of an active
// contract, each reporting period from the contract's start to the period
// holding the earliest of today, the commitment's due date and the contract's
// end date, whose return is due (period end + RETURN_GRACE_DAYS) within
// DUE_SOON_DAYS of today and has not been sent.
//
// A period counts as reported when a return for the commitment that was
// submitted, approved or sent back for more information overlaps it (so
// returns made under an earlier reporting period keep covering their dates
// after an admin changes the setting). A draft does not count, nor does a
// rejected return: the contractor has to send a new one.
//
// Two queries however many commitments there are; the periods are worked out here.

export type DueState = 'overdue' | 'due_soon';

export interface DueReturn {
  commitmentId: string;
  measureCode: string;
  measureTitle: string;
  contractId: string;
  contractReference: string;
  supplierId: string;
  period: Period;
  /** YYYY-MM-DD: the period's end plus the grace days. */
  dueDate: string;
  state: DueState;
  /** The contractor's draft for this commitment and period, if there is one. */
  draftId: string | null;
}

/** The most returns listed in one answer; `total` still counts them all. */
export const DUE_RETURNS_LIMIT = 200;

const REPORTED = new Set(['submitted', 'approved', 'more_info_requested']);

interface Options {
  /** One supplier's returns; every supplier's when left out. */
  supplierId?: string;
  /** YYYY-MM-DD, in the UK. */
  today: string;
  period: ReportingPeriod;
  limit?: number;
}

export async function dueReturns(db: DbOrTx, { supplierId, today, period, limit = DUE_RETURNS_LIMIT }: Options): Promise<{ items: DueReturn[]; total: number }> {
  let commitmentsQuery = db
    .selectFrom('commitment')
    .innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .innerJoin('measure', 'measure.id', 'commitment.measure_id')
    .select([
      'commitment.id as commitmentId', 'commitment.due_date as commitmentDue', 'measure.code as measureCode', 'measure.title as measureTitle',
      'contract.id as contractId', 'contract.reference as contractReference', 'contract.supplier_id as supplierId',
      'contract.start_date as contractStart', 'contract.end_date as contractEnd',
    ])
    .where('contract.status', '=', 'active');
  if (supplierId !== undefined) commitmentsQuery = commitmentsQuery.where('contract.supplier_id', '=', supplierId);
  const commitments = await commitmentsQuery.execute();
  if (commitments.length === 0) return { items: [], total: 0 };

  let returnsQuery = db
    .selectFrom('progress_return')
    .innerJoin('commitment', 'commitment.id', 'progress_return.commitment_id')
    .innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .select(['progress_return.id', 'progress_return.commitment_id', 'progress_return.status', 'progress_return.period_start', 'progress_return.period_end'])
    .where('contract.status', '=', 'active')
    .where('progress_return.status', '!=', 'rejected');
  if (supplierId !== undefined) returnsQuery = returnsQuery.where('contract.supplier_id', '=', supplierId);
  const returnsByCommitment = new Map<string, Array<{ id: string; status: string; period_start: string; period_end: string }>>();
  for (const r of await returnsQuery.execute()) {
    const list = returnsByCommitment.get(r.commitment_id) ?? [];
    list.push(r);
    returnsByCommitment.set(r.commitment_id, list);
  }

  const dueBy = addDays(today, DUE_SOON_DAYS);
  const due: DueReturn[] = [];
  for (const c of commitments) {
    const last = [today, c.commitmentDue, c.contractEnd].sort()[0]!;
    const returns = returnsByCommitment.get(c.commitmentId) ?? [];
    for (const p of periodsBetween(period, c.contractStart, last)) {
      const dueDate = returnDueDate(p);
      if (dueDate > dueBy) continue;
      const overlapping = returns.filter((r) => r.period_start <= p.end && r.period_end >= p.start);
      if (overlapping.some((r) => REPORTED.has(r.status))) continue;
      // A draft for exactly this period first; else one that overlaps it (made under another reporting period).
      const draft = overlapping.find((r) => r.period_start === p.start) ?? overlapping[0];
      due.push({
        commitmentId: c.commitmentId, measureCode: c.measureCode, measureTitle: c.measureTitle,
        contractId: c.contractId, contractReference: c.contractReference, supplierId: c.supplierId,
        period: p, dueDate, state: dueDate < today ? 'overdue' : 'due_soon', draftId: draft?.id ?? null,
      });
    }
  }
  due.sort(byUrgency);
  return { items: due.slice(0, limit), total: due.length };
}

/** Overdue before due soon; then the earliest due date, contract and measure. */
function byUrgency(a: DueReturn, b: DueReturn): number {
  if (a.state !== b.state) return a.state === 'overdue' ? -1 : 1;
  return a.dueDate.localeCompare(b.dueDate)
    || a.contractReference.localeCompare(b.contractReference)
    || a.measureCode.localeCompare(b.measureCode)
    || a.commitmentId.localeCompare(b.commitmentId);
}
