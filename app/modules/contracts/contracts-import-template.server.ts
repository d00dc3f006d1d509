import type { DbOrTx } from '#db/client';
import { toCsv } from '~/utils/csv';
import { IMPORT_HEADER } from './contracts-import.schema';
import { londonToday } from './dates';

// The downloadable template for the contracts import: the header and two
// example rows (one contract with two commitments) to overwrite. The examples
// use this portal's own suppliers, measures and wards where there are any, so
// the template imports as it stands (once its reference is changed if taken).

export async function contractsImportTemplate(db: DbOrTx, officerEmail: string, now = new Date()): Promise<string> {
  const supplier = await db
    .selectFrom('organisation').select('name').where('kind', '=', 'supplier').where('status', '=', 'verified').orderBy('name').executeTakeFirst();
  const measures = await db.selectFrom('measure').select('code').where('active', '=', 1).orderBy('code').limit(2).execute();
  const ward = await db.selectFrom('ward').select('name').orderBy('name').executeTakeFirst();
  const year = Number(londonToday(now).slice(0, 4));
  const contract = [
    `EXAMPLE-${year}-001`, 'Example: library refurbishment', 'Refurbishment of the central library, replace with your own contract',
    supplier?.name ?? 'Supplier name or company number', '1250000.00', `${year}-04-01`, `${year + 1}-03-31`, officerEmail,
  ];
  const [first, second] = [measures[0]?.code ?? 'MEASURE-CODE', measures[1]?.code ?? measures[0]?.code ?? 'MEASURE-CODE'];
  return toCsv(IMPORT_HEADER, [
    [...contract, first, '2', `${year + 1}-03-31`, ward?.name ?? '', `What exactly will be done for ${first}, in this ward, by the due date`],
    [...contract, second, '40.5', `${year}-12-31`, '', `What exactly will be done for ${second} (no ward: the whole borough)`],
  ]);
}
