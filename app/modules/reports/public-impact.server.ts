import type { DbOrTx } from '#db/client';
import { needsMet, publishedStories, type StorySummary } from './activity.server';
import type { Totals } from './breakdowns';
import { disclose, DOMINANCE, MIN_SUPPLIERS, type PublicRow } from './disclosure';
import { publicBreakdowns } from './period-figures.server';
import { reportPeriod } from './period';
import { cached } from './report-cache.server';

// The public impact page: the year's totals and breakdowns by theme and ward,
// wishlist needs met and published stories, under the disclosure rule in
// disclosure.ts (ADR 0019). Only what may be published leaves this function:
// no supplier, contract, measure or person, no ids but stories'.

export interface PublicImpact {
  period: { year: number; label: string; start: string; end: string };
  publishable: boolean;
  totals: Totals | null;
  themes: PublicRow[];
  wards: PublicRow[];
  needs: { items: number; pledges: number; pledgedPence: number | null };
  stories: StorySummary[];
}

export function publicImpact(db: DbOrTx, year: number): Promise<PublicImpact> {
  return cached(db, `public:${year}`, () => computePublicImpact(db, year));
}

async function computePublicImpact(db: DbOrTx, year: number): Promise<PublicImpact> {
  const period = reportPeriod(year);
  const [rows, needs, stories] = await Promise.all([publicBreakdowns(db, period), needsMet(db, period), publishedStories(db, period)]);
  const themes = disclose(rows.theme, 'Other themes');
  const wards = disclose(rows.ward, 'Other wards');
  // The value of confirmed pledges is published under the same rule: at least
  // MIN_SUPPLIERS suppliers and none above DOMINANCE of it.
  const pledgeTotal = needs.pledgedPence;
  const largest = Math.max(0, ...needs.bySupplier.values());
  const pledgesPublishable = needs.bySupplier.size >= MIN_SUPPLIERS && largest <= DOMINANCE * pledgeTotal;
  return {
    period: { year, label: period.label, start: period.start, end: period.end },
    publishable: themes.publishable,
    totals: themes.totals,
    themes: themes.rows,
    wards: wards.publishable ? wards.rows : [],
    needs: { items: needs.items, pledges: needs.pledges, pledgedPence: pledgesPublishable ? pledgeTotal : null },
    stories,
  };
}
