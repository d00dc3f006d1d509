import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { notFound, requirePermission } from '~/auth/guards.server';
import { londonToday } from '~/modules/contracts/dates';
import { breakdownCsv, breakdownCsvFileName, parseDimension } from '~/modules/reports/breakdown-csv.server';
import { choosePeriod } from '~/modules/reports/period';

// GET /officer/dashboard.csv?breakdown=theme&year=2026[&quarter=3]: one
// breakdown of the dashboard, for the same period, as CSV.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'report:read');
  const url = new URL(request.url);
  const dimension = parseDimension(url.searchParams.get('breakdown'));
  if (!dimension) throw notFound('Choose a breakdown: theme, measure, ward, supplier or contract');
  const { period } = choosePeriod(url.searchParams, londonToday());
  const csv = await breakdownCsv(getDb(), dimension, period);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${breakdownCsvFileName(dimension, period)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
