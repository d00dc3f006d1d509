// Times are stored as ISO-8601 UTC text; these keep arithmetic in one place.
export const nowIso = (now: Date = new Date()): string => now.toISOString();
export const addMs = (iso: string | Date, ms: number): string => new Date(new Date(iso).getTime() + ms).toISOString();
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London',
});

// ICU's en-GB abbreviates September as "Sept"; GOV.UK style is three letters.
const threeLetterMonths = (text: string) => text.replace('Sept', 'Sep');

/** 24 Nov 2026 */
export const formatDate = (iso: string): string => threeLetterMonths(dateFormat.format(new Date(iso)));
/** 24 Nov 2026, 14:05 */
export const formatDateTime = (iso: string): string => threeLetterMonths(dateTimeFormat.format(new Date(iso)));
