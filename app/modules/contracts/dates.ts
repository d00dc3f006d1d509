// Calendar dates (YYYY-MM-DD) for contracts and commitments. Pure: shared by
// the forms' schemas, the services and the pages.

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the UK (Europe/London), as YYYY-MM-DD. */
export function londonToday(now: Date = new Date()): string {
  const parts = Object.fromEntries(LONDON_DAY.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** "2026-04-01" → { day: '1', month: '4', year: '2026' }, for filling a GOV.UK date input. */
export function dateParts(iso: string): { day: string; month: string; year: string } {
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}

/** The same day some years later (29 February becomes 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const day = m === 2 && d === 29 && !isRealDate(year, 2, 29) ? 28 : d;
  return isoDate(year, m, day);
}
