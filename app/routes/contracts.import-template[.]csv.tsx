import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { contractsImportTemplate } from '~/modules/contracts/contracts-import-template.server';

// GET /contracts/import-template.csv: the columns of the contracts import with two example rows.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  const csv = await contractsImportTemplate(getDb(), user.email);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="contracts-import-template.csv"',
      'Cache-Control': 'private, no-store',
    },
  });
}
