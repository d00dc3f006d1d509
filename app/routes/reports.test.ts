import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { parseCsv } from '~/utils/csv';
import { makeUser } from '../../tests/support/factories';
import { makeReportWorld, type ReportWorld } from '../../tests/support/factories-reports';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { periodBreakdowns } from '~/modules/reports/dashboard.server';
import { reportPeriod } from '~/modules/reports/period';
import * as dashboard from './officer.dashboard';
import * as csv from './officer.dashboard[.]csv';
import * as annual from './officer.reports.annual.$year';
import * as annualIndex from './officer.reports.annual._index';
import * as impact from './impact';

let world: ReportWorld;
let officer: string;
let contractor: string;
let vcse: string;

beforeAll(async () => {
  world = await makeReportWorld(4242, { suppliers: 6, contracts: 14 });
  officer = await cookieFor((await makeUser('officer')).id);
  contractor = await cookieFor((await makeUser('contractor')).id);
  vcse = await cookieFor((await makeUser('vcse')).id);
}, 60_000);

describe('officer dashboard', () => {
  it('is for staff only', async () => {
    expect((await run(dashboard.loader, makeRequest('/officer/dashboard'))).location).toMatch(/^\/sign-in/);
    expect((await run(dashboard.loader, makeRequest('/officer/dashboard', { cookie: contractor }))).status).toBe(403);
    expect((await run(dashboard.loader, makeRequest('/officer/dashboard', { cookie: vcse }))).status).toBe(403);
    expect((await run(csv.loader, makeRequest('/officer/dashboard.csv?breakdown=theme', { cookie: contractor }))).status).toBe(403);
    expect((await run(annual.loader, makeRequest('/officer/reports/annual/2026', { cookie: contractor }), { year: '2026' })).status).toBe(403);
    expect((await run(annualIndex.loader, makeRequest('/officer/reports/annual'))).location).toMatch(/^\/sign-in/);
  });

  it('shows the chosen period’s figures, the same as the service’s, with links to the records behind them', async () => {
    const page = await run(dashboard.loader, makeRequest('/officer/dashboard?year=2026&quarter=2', { cookie: officer }));
    expect(page.status).toBe(200);
    const data = page.data as Awaited<ReturnType<typeof dashboard.loader>>;
    expect(data.period).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
    const expected = await periodBreakdowns(getDb(), reportPeriod(2026, 2));
    expect(data.totals).toEqual(expected.totals);
    expect(data.breakdowns.supplier.count).toBe(expected.breakdowns.supplier.length);
    // Each row links to the commitments behind it, for the same period (their figures add up: officer.dashboard.commitments.test.ts).
    expect(data.breakdowns.theme.rows.every((r) => r.href === `/officer/dashboard/commitments?year=2026&quarter=2&dimension=theme&key=${encodeURIComponent(r.key).replace(/%20/g, '+')}`)).toBe(true);
    expect(data.allCommitmentsHref).toBe('/officer/dashboard/commitments?year=2026&quarter=2');
    expect(data.breakdowns.contract.rows.every((r) => r.href === `/contracts/${r.key}`)).toBe(true);
    const nonsense = await run(dashboard.loader, makeRequest('/officer/dashboard?year=1066', { cookie: officer }));
    expect(nonsense.data).toMatchObject({ corrected: true });
  });

  it('exports each breakdown as CSV for the same period, with a total row that matches', async () => {
    const response = await run(csv.loader, makeRequest('/officer/dashboard.csv?breakdown=measure&year=2026', { cookie: officer }));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="social-value-by-measure-2026-27.csv"');
    const parsed = parseCsv(new TextEncoder().encode(response.data as string));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.header).toEqual(['measure', 'id', 'unit', 'target_quantity', 'delivered_quantity', 'substituted_quantity', 'remaining_quantity', 'commitments', 'committed_gbp', 'delivered_gbp', 'substituted_gbp', 'remaining_gbp', 'period_start', 'period_end']);
    const { totals, breakdowns } = await periodBreakdowns(getDb(), reportPeriod(2026));
    expect(parsed.rows).toHaveLength(breakdowns.measure.length + 1);
    const total = parsed.rows.at(-1)!.cells;
    expect(total[0]).toBe('Total');
    const pence = (text: string) => Math.round(Number(text) * 100);
    expect(pence(total[8]!)).toBe(totals.committedPence);
    expect(pence(total[9]!)).toBe(totals.deliveredPence);
    expect(pence(total[11]!)).toBe(totals.remainingPence);
    // The rows add up to the total, to the penny.
    expect(parsed.rows.slice(0, -1).reduce((sum, row) => sum + pence(row.cells[9]!), 0)).toBe(totals.deliveredPence);
    expect((await run(csv.loader, makeRequest('/officer/dashboard.csv?breakdown=people', { cookie: officer }))).status).toBe(404);
  });
});

describe('annual impact report', () => {
  it('lists years and shows a year’s report; a year out of range is a 404', async () => {
    const index = await run(annualIndex.loader, makeRequest('/officer/reports/annual', { cookie: officer }));
    expect((index.data as { years: Array<{ year: number }> }).years.map((y) => y.year)).toContain(2025);
    const page = await run(annual.loader, makeRequest('/officer/reports/annual/2026', { cookie: officer }), { year: '2026' });
    expect(page.status).toBe(200);
    const data = page.data as Awaited<ReturnType<typeof annual.loader>>;
    expect(data.totals).toEqual((await periodBreakdowns(getDb(), reportPeriod(2026))).totals);
    expect(data.ledger.map((l) => l.kind)).toEqual(['earned', 'claim', 'swap', 'expiry', 'reversal']);
    expect(data.stories.every((s) => s.title.startsWith('Story 4242'))).toBe(true);
    for (const year of ['1999', '2099', 'abc', '2026-28']) {
      expect((await run(annual.loader, makeRequest(`/officer/reports/annual/${year}`, { cookie: officer }), { year })).status).toBe(404);
    }
  });
});

describe('public impact page', () => {
  it('needs no sign-in and carries no supplier, contract, measure or person', async () => {
    const page = await run(impact.loader, makeRequest('/impact?year=2026'));
    expect(page.status).toBe(200);
    const text = JSON.stringify(page.data);
    const db = getDb();
    const suppliers = await db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', world.supplierIds).execute();
    const contracts = await db.selectFrom('contract').select(['id', 'reference', 'title']).where('id', 'in', world.contractIds).execute();
    const users = await db.selectFrom('user').select(['id', 'name', 'email']).execute();
    const measures = await db.selectFrom('measure').select(['id', 'code']).execute();
    for (const s of suppliers) { expect(text).not.toContain(s.id); expect(text).not.toContain(s.name); }
    for (const c of contracts) { expect(text).not.toContain(c.id); expect(text).not.toContain(c.reference); }
    for (const u of users) { expect(text).not.toContain(u.id); expect(text).not.toContain(u.email); }
    for (const m of measures) { expect(text).not.toContain(m.id); expect(text).not.toContain(`"${m.code}`); }
    expect(Object.keys(page.data as object).sort()).toEqual(['needs', 'period', 'publishable', 'stories', 'themes', 'totals', 'wards', 'years']);
  });
});
