import type { LoaderFunctionArgs } from '@remix-run/node';
import { requirePermission } from '~/auth/guards.server';
import { measuresCsvTemplate } from '~/modules/measures/measures-csv.server';

// GET /admin/measures/template.csv: the import's columns with one example row to overwrite.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'measure:manage');
  return new Response(measuresCsvTemplate(), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="measures-template.csv"',
      'Cache-Control': 'no-store',
    },
  });
}
