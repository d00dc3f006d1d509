import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { makeReportWorld } from '../../tests/support/factories-reports';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { DIMENSIONS } from '~/modules/reports/breakdowns';
import { periodBreakdowns } from '~/modules/reports/dashboard.server';
import { drillDownHref } from '~/modules/reports/drill-down';
import { formatPence } from '~/modules/contracts/figures';
import { reportPeriod } from '~/modules/reports/period';
import * as page from './officer.dashboard.commitments';

type Data = Awaited<ReturnType<typeof page.loader>>;
let officer: string;

beforeAll(async () => {
  await makeReportWorld(777, { suppliers: 5, contracts: 10 });
  officer = await cookieFor((await makeUser('officer')).id);
}, 60_000);

const load = async (href: string, cookie = officer) => run(page.loader, makeRequest(href, { cookie }));

describe('the commitments behind a dashboard figure', () => {
  it('is for staff only', async () => {
    expect((await load('/officer/dashboard/commitments', '')).location).toMatch(/^\/sign-in/);
    const contractor = await cookieFor((await makeUser('contractor')).id);
    expect((await load('/officer/dashboard/commitments', contractor)).status).toBe(403);
  });

  it('adds up, for every row of every breakdown, to the figures of that row on the dashboard', async () => {
    const period = reportPeriod(2026);
    const { totals, breakdowns } = await periodBreakdowns(getDb(), period);
    const all = (await load(drillDownHref('year=2026', null))).data as Data;
    expect(all.totals).toEqual(totals);
    expect(all.count).toBe(totals.commitments);
    let checked = 0;
    for (const dimension of DIMENSIONS) {
      for (const row of breakdowns[dimension]) {
        const data = (await load(drillDownHref('year=2026', { dimension, key: row.key }))).data as Data;
        expect(data.totals, `${dimension} ${row.label}`).toEqual({
          commitments: row.commitments, committedPence: row.committedPence, deliveredPence: row.deliveredPence,
          substitutedPence: row.substitutedPence, remainingPence: row.remainingPence,
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('pages through the rows, each linking to its contract, and shows each row’s period figures', async () => {
    const first = (await load('/officer/dashboard/commitments?year=2026')).data as Data;
    expect(first.rows.length).toBeGreaterThan(0);
    expect(first.rows.every((r) => /^£/.test(r.committed) && r.contractId)).toBe(true);
    const beyond = (await load(`/officer/dashboard/commitments?year=2026&page=999`)).data as Data;
    expect(beyond.page).toBe(beyond.pageCount);
    expect(formatPence(first.totals.committedPence)).toMatch(/^£/);
    const unknown = (await load('/officer/dashboard/commitments?year=2026&dimension=theme&key=No%20such%20theme')).data as Data;
    expect(unknown.count).toBe(0);
  });
});
