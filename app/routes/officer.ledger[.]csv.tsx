import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { csvResponse, exportLedgerCsv, parseLedgerCsvFilters } from '~/modules/credits/ledger-csv.server';

// GET /officer/ledger.csv[?contract=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD]:
// every contract's ledger postings, for staff.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'credit:decide');
  const csv = await exportLedgerCsv(getDb(), parseLedgerCsvFilters(new URL(request.url).searchParams));
  return csvResponse(csv, 'credits-ledger');
}
