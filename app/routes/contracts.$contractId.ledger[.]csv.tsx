import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { requireContract } from '~/modules/contracts/route-helpers.server';
import { csvResponse, exportLedgerCsv } from '~/modules/credits/ledger-csv.server';

// GET /contracts/:contractId/ledger.csv: the contract's ledger, one row per
// posting (the supplier's contractors for their own contracts, and staff).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:read');
  const contract = await requireContract(user, params.contractId);
  const csv = await exportLedgerCsv(getDb(), { contractId: contract.id });
  return csvResponse(csv, `ledger-${contract.reference.replace(/[^A-Za-z0-9-]+/g, '-')}`);
}
