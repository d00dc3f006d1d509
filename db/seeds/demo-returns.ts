import type { DbOrTx } from '#db/client';
import { londonToday } from '~/modules/contracts/dates';
import { periodsBetween, type Period } from '~/modules/returns/periods';
import { newId } from '~/utils/ids.server';

// Demo data only: approved quarterly progress returns behind every demo
// commitment's delivered figure, so that delivered = the sum of approved returns
// holds in the demo as it does for real data. Each commitment's delivered
// quantity is split over the last (up to four) quarters that have ended since
// the contract started; a contract too new for that gets one return for its
// first quarter.

const MAX_PERIODS = 4;

function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => (i === parts - 1 ? total - base * (parts - 1) : base));
}

export async function seedDemoReturns(tx: DbOrTx, now = new Date()): Promise<number> {
  const today = londonToday(now);
  const officer = await tx.selectFrom('user').select('id').where('email', '=', 'officer@demo.test').executeTakeFirstOrThrow();
  const rows = await tx
    .selectFrom('commitment')
    .innerJoin('contract', 'contract.id', 'commitment.contract_id')
    .select(['commitment.id', 'commitment.delivered_milli', 'contract.id as contractId', 'contract.supplier_id', 'contract.start_date'])
    .where('commitment.delivered_milli', '>', 0)
    .execute();
  let made = 0;
  for (const row of rows) {
    const author = await tx.selectFrom('user').select('id').where('organisation_id', '=', row.supplier_id).where('role', '=', 'contractor').orderBy('created_at').executeTakeFirst();
    if (!author) continue;
    const ended = periodsBetween('quarterly', row.start_date, today).filter((p) => p.end < today);
    const periods: Period[] = ended.length ? ended.slice(-MAX_PERIODS) : periodsBetween('quarterly', row.start_date, row.start_date);
    const quantities = split(row.delivered_milli, periods.length);
    for (const [i, period] of periods.entries()) {
      const id = newId();
      const submitted = new Date(Date.parse(`${period.end}T10:00:00Z`) + 7 * 86_400_000);
      const decided = new Date(submitted.getTime() + 3 * 86_400_000);
      const at = (d: Date) => (d.getTime() > now.getTime() ? now : d).toISOString();
      await tx.insertInto('progress_return').values({
        id, commitment_id: row.id, contract_id: row.contractId, supplier_id: row.supplier_id, period_start: period.start, period_end: period.end,
        quantity_milli: quantities[i]!, narrative: `Delivery in ${period.label}, as recorded on the site register and payroll.`, is_story: 0,
        status: 'approved', approved_quantity_milli: quantities[i]!, decision_reason: null, decided_by: officer.id, decided_at: at(decided),
        submitted_at: at(submitted), first_submitted_at: at(submitted), created_by: author.id, created_at: at(submitted), updated_at: at(decided),
      }).execute();
      await tx.insertInto('return_comment').values([
        { id: newId(), return_id: id, author_id: author.id, kind: 'submitted', body: '', created_at: at(submitted) },
        { id: newId(), return_id: id, author_id: officer.id, kind: 'approved', body: 'Checked against the evidence held on file.', created_at: at(decided) },
      ]).execute();
      made += 1;
    }
  }
  return made;
}
