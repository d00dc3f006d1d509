import { z } from 'zod';
import { financialYearOf, quarterOf, reportPeriod, type Quarter, type ReportPeriod } from '~/modules/reports/period';
import { optionalText, requiredText } from '~/utils/schema';

// The quarterly newsletter: its quarters (financial quarters, from
// app/modules/reports/period.ts), the forms and the figures' shape. No server imports.

export const NEWSLETTER_LIMITS = { title: 150, introduction: 5_000 } as const;

/** The quarter starting on a date (YYYY-MM-DD), or null if no financial quarter starts then. */
export function quarterStartingOn(start: string): ReportPeriod | null {
  if (!/^\d{4}-(04|07|10|01)-01$/.test(start)) return null;
  const period = reportPeriod(financialYearOf(start), quarterOf(start));
  return period.start === start ? period : null;
}

/** The quarter holding a date. */
export function quarterHolding(date: string): ReportPeriod {
  return reportPeriod(financialYearOf(date), quarterOf(date) as Quarter);
}

/** The quarters an officer may build a newsletter for: the current one and the seven before it, newest first. */
export function quarterChoices(today: string, count = 8): ReportPeriod[] {
  const choices: ReportPeriod[] = [];
  let period = quarterHolding(today);
  for (let i = 0; i < count; i += 1) {
    choices.push(period);
    const [y, m] = period.start.split('-').map(Number) as [number, number];
    const previous = m === 1 ? `${y - 1}-10-01` : `${y}-${String(m - 3).padStart(2, '0')}-01`;
    period = quarterHolding(previous);
  }
  return choices;
}

export const defaultTitle = (period: Pick<ReportPeriod, 'label'>) => `Social value news: ${period.label}`;

/** The day after a date (YYYY-MM-DD), for half-open ranges over timestamps. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export const newNewsletterSchema = z.object({
  quarter: z.string({ required_error: 'Select the quarter' }).trim().refine((v) => quarterStartingOn(v) !== null, 'Select a quarter from the list'),
});

export const newsletterSchema = z.object({
  title: requiredText('title', NEWSLETTER_LIMITS.title, 'Enter a title for the newsletter'),
  introduction: optionalText('introduction', NEWSLETTER_LIMITS.introduction),
});

export type NewsletterInput = z.output<typeof newsletterSchema>;

/**
 * The stories chosen on the form: checkboxes named `story` (story ids) and an
 * order box per story named `position.<storyId>` (a whole number; blanks go last,
 * ties keep the list's order). Ids not offered are ignored.
 */
export function chosenStories(form: FormData, offered: readonly string[]): { ids: string[]; problem: string | null } {
  const chosen = new Set(form.getAll('story').filter((v): v is string => typeof v === 'string'));
  const picked = offered.filter((id) => chosen.has(id));
  let problem: string | null = null;
  const keyed = picked.map((id, index) => {
    const raw = String(form.get(`position.${id}`) ?? '').trim();
    if (raw !== '' && !/^\d{1,3}$/.test(raw)) problem = 'Enter each story’s order as a whole number, like 1, 2 or 3';
    return { id, order: raw === '' ? Number.POSITIVE_INFINITY : Number(raw), index };
  });
  keyed.sort((a, b) => a.order - b.order || a.index - b.index);
  return { ids: keyed.map((k) => k.id), problem };
}

/**
 * The headline figures of a quarter, snapshot in figures_json when the newsletter is sent.
 * A £ figure is null when the disclosure rule (ADR 0019) withholds it: the newsletter is public.
 */
export interface NewsletterFigures {
  /** Social value delivered: approved returns whose period ends in the quarter (docs/reporting.md). */
  deliveredPence: number | null;
  /** Credits banked from delivery beyond target, booked in the quarter (net of reversals). */
  creditsEarnedPence: number | null;
  /** Credits approved on claims, booked in the quarter (net of reversals). */
  creditsClaimedPence: number | null;
  /** Wishlist needs with a pledge confirmed by the VCSE organisation in the quarter. */
  needsMet: number;
}

export function parseFigures(json: string | null): NewsletterFigures | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<NewsletterFigures>;
    const n = (x: unknown) => (typeof x === 'number' && Number.isSafeInteger(x) ? x : null);
    return { deliveredPence: n(value.deliveredPence), creditsEarnedPence: n(value.creditsEarnedPence), creditsClaimedPence: n(value.creditsClaimedPence), needsMet: n(value.needsMet) ?? 0 };
  } catch {
    return null;
  }
}
