import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { exportMeasuresCsv } from '~/modules/measures/measures-csv.server';

// GET /admin/measures.csv: the whole framework (active and retired), in the
// import's column format, so the file can be edited and imported back.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'measure:manage');
  const csv = await exportMeasuresCsv(getDb());
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="measures-${today}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
