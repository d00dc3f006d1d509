import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeReportWorld } from '../../../tests/support/factories-reports';
import { approvedClaimsAndSwaps, excerptOf, ledgerSummary, needsMet, publishedStories } from './activity.server';
import { reportPeriod } from './period';
import { ALL_TIME } from './period-figures.server';

// Agreement with the ledger and the request tables, by independent SQL.
beforeAll(async () => {
  await makeReportWorld(99, { suppliers: 4, contracts: 12 });
  await makeReportWorld(100, { suppliers: 3, contracts: 9 });
}, 60_000);

const PERIODS = [reportPeriod(2025), reportPeriod(2026), reportPeriod(2026, 1), reportPeriod(2026, 4), reportPeriod(2027)];

describe('credits and swaps agree with the ledger to the penny', () => {
  it.each(PERIODS.map((p) => [p.label, p] as const))('ledger by kind, %s', async (_label, period) => {
    const lines = await ledgerSummary(getDb(), period);
    const expected = await sql<{ kind: string; n: number; credits: number }>`
      SELECT t.kind AS kind, count(*) AS n,
             (SELECT -total(p.amount_pence) FROM ledger_posting p WHERE p.amount_pence < 0 AND p.transaction_id IN
                (SELECT id FROM ledger_transaction x WHERE x.kind = t.kind AND date(x.booked_at) BETWEEN ${period.start} AND ${period.end})) AS credits
      FROM ledger_transaction t WHERE date(t.booked_at) BETWEEN ${period.start} AND ${period.end} GROUP BY t.kind`.execute(getDb());
    for (const line of lines) {
      const row = expected.rows.find((r) => r.kind === line.kind);
      expect(line, line.kind).toEqual({ kind: line.kind, transactions: Number(row?.n ?? 0), valuePence: Number(row?.credits ?? 0) });
    }
  });

  it('over all time, the ledger summary equals the accounts’ balances', async () => {
    const lines = new Map((await ledgerSummary(getDb(), ALL_TIME)).map((l) => [l.kind, l.valuePence]));
    const balances = new Map((await getDb().selectFrom('ledger_account').select(['kind', sql<number>`sum(balance_pence)`.as('b')]).groupBy('kind').execute()).map((r) => [r.kind, Number(r.b)]));
    expect(lines.get('earned')).toBeGreaterThan(0);
    // The fixture reverses only earned credits.
    expect(lines.get('earned')! - lines.get('reversal')!).toBe(balances.get('earned') ?? 0);
    expect(lines.get('claim')).toBe(balances.get('claimed') ?? 0);
    expect(lines.get('swap')).toBe(balances.get('substituted') ?? 0);
    expect(lines.get('earned')! - lines.get('reversal')! + lines.get('claim')! - lines.get('swap')!).toBe(balances.get('balance') ?? 0);
  });

  it.each(PERIODS.map((p) => [p.label, p] as const))('approved claims and swaps, %s', async (_label, period) => {
    const got = await approvedClaimsAndSwaps(getDb(), period);
    const claims = await sql<{ n: number; v: number }>`SELECT count(*) AS n, total(approved_value_pence) AS v FROM credit_claim WHERE status = 'approved' AND date(decided_at) BETWEEN ${period.start} AND ${period.end}`.execute(getDb());
    const swaps = await sql<{ c: number; m: number; v: number }>`SELECT total(method = 'credits') AS c, total(method = 'measure') AS m, total(value_pence) AS v FROM credit_swap WHERE status = 'approved' AND date(decided_at) BETWEEN ${period.start} AND ${period.end}`.execute(getDb());
    expect(got).toEqual({ claims: Number(claims.rows[0]!.n), claimedPence: Number(claims.rows[0]!.v), creditSwaps: Number(swaps.rows[0]!.c), measureSwaps: Number(swaps.rows[0]!.m), swappedPence: Number(swaps.rows[0]!.v) });
  });
});

describe('wishlist needs met and stories', () => {
  it.each(PERIODS.map((p) => [p.label, p] as const))('needs met, %s', async (_label, period) => {
    const got = await needsMet(getDb(), period);
    const items = await getDb().selectFrom('wishlist_item').select(['id', 'status']).execute();
    const pledges = await getDb().selectFrom('pledge').select(['item_id', 'status', 'confirmed_at', 'value_pence', 'supplier_id']).execute();
    const inPeriod = (at: string | null) => at !== null && at.slice(0, 10) >= period.start && at.slice(0, 10) <= period.end;
    let met = 0;
    for (const item of items) {
      const confirmed = pledges.filter((p) => p.item_id === item.id && p.status === 'confirmed').map((p) => p.confirmed_at!).sort();
      if ((item.status === 'fulfilled' || item.status === 'closed') && confirmed.length > 0 && inPeriod(confirmed.at(-1)!)) met += 1;
    }
    const confirmedInPeriod = pledges.filter((p) => p.status === 'confirmed' && inPeriod(p.confirmed_at));
    expect({ items: got.items, pledges: got.pledges, pledgedPence: got.pledgedPence }).toEqual({
      items: met, pledges: confirmedInPeriod.length, pledgedPence: confirmedInPeriod.reduce((a, p) => a + p.value_pence, 0),
    });
  });

  it('lists only stories published in the period and still published, with an excerpt', async () => {
    const period = reportPeriod(2026);
    const got = await publishedStories(getDb(), period);
    const all = await getDb().selectFrom('story').select(['id', 'status', 'published_at']).execute();
    const expected = all.filter((s) => s.status === 'published' && s.published_at && s.published_at.slice(0, 10) >= period.start && s.published_at.slice(0, 10) <= period.end);
    expect(got.map((s) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
    expect(got.every((s) => s.excerpt.length <= 221)).toBe(true);
    expect(excerptOf('short  text\n here')).toBe('short text here');
    expect(excerptOf('word '.repeat(100), 20)).toMatch(/^word word word word…$/);
  });
});
