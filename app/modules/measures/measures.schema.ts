import { z } from 'zod';
import { parsePounds } from '~/modules/contracts/figures';
import { looksLikeFormula } from '~/utils/csv';
import { capitalise, requiredText } from '~/utils/schema';

// The measures framework: one set of field rules, shared by the add/edit form
// and by every row of a CSV import, so both give the same messages.
// No server imports here: the pages use these too.

export const MEASURES_PAGE_SIZE = 25;
export const MIN_FRAMEWORK_YEAR = 2000;
export const MAX_FRAMEWORK_YEAR = 2100;
/** £100,000,000 per unit: far above any real proxy value, well inside a safe integer. */
export const MAX_PROXY_PENCE = 10_000_000_000;

export const MAX_LENGTHS = { code: 30, theme: 60, outcome: 200, title: 200, unit: 40 } as const;

/** The CSV columns, in the order an export writes them. `active` may be left out. */
export const MEASURE_CSV_REQUIRED = ['code', 'theme', 'outcome', 'title', 'unit', 'proxy_value', 'framework_year'] as const;
export const MEASURE_CSV_OPTIONAL = ['active'] as const;
export const MEASURE_CSV_COLUMNS = [...MEASURE_CSV_REQUIRED, ...MEASURE_CSV_OPTIONAL] as const;
export type MeasureCsvColumn = (typeof MEASURE_CSV_COLUMNS)[number];

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9./-]*$/;

export const FORMULA_MESSAGE =
  'must not start with =, +, - or @ (a spreadsheet would run it as a formula). Remove the formula or the leading character';

/** Free text that a spreadsheet would not run as a formula. */
const plainText = (label: string, max: number, message: string) =>
  requiredText(label, max, message).refine((v) => !looksLikeFormula(v), `${capitalise(label)} ${FORMULA_MESSAGE}`);

const PROXY_FORMAT = 'Enter the proxy value as an amount in pounds, like 1234.56 or £1,234.56';
const YEAR_RANGE = `Framework year must be a year from ${MIN_FRAMEWORK_YEAR} to ${MAX_FRAMEWORK_YEAR}, like 2026`;

/** The fields of one measure, as typed in the form or read from a CSV row (field names = CSV columns). */
export const measureFields = {
  code: requiredText('code', MAX_LENGTHS.code, 'Enter a code')
    .refine((v) => CODE_PATTERN.test(v), 'Code must start with a letter or digit and use only letters, digits, full stops, hyphens and slashes (no spaces)'),
  theme: plainText('theme', MAX_LENGTHS.theme, 'Enter a theme'),
  outcome: plainText('outcome', MAX_LENGTHS.outcome, 'Enter the outcome'),
  title: plainText('title', MAX_LENGTHS.title, 'Enter a title'),
  unit: plainText('unit', MAX_LENGTHS.unit, 'Enter the unit, like FTE, hours or tonnes CO2e'),
  proxy_value: z
    .string({ required_error: 'Enter the proxy value in pounds' })
    .trim()
    .min(1, 'Enter the proxy value in pounds')
    .transform((v, ctx) => {
      const pence = parsePounds(v);
      if (pence === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: PROXY_FORMAT });
        return z.NEVER;
      }
      if (pence > MAX_PROXY_PENCE) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Proxy value must be £100,000,000 or less' });
        return z.NEVER;
      }
      return pence;
    }),
  framework_year: z
    .string({ required_error: 'Enter the framework year' })
    .trim()
    .min(1, 'Enter the framework year')
    .regex(/^\d{4}$/, YEAR_RANGE)
    .transform(Number)
    .refine((y) => y >= MIN_FRAMEWORK_YEAR && y <= MAX_FRAMEWORK_YEAR, YEAR_RANGE),
};

/** Add or edit a measure. `version` (the edit page's updated_at) guards against overwriting someone else's change. */
export const measureFormSchema = z.object({ ...measureFields, version: z.string().max(40).optional() });
export type MeasureInput = Omit<z.output<typeof measureFormSchema>, 'version'>;

const ACTIVE_VALUES: Record<string, boolean> = { yes: true, true: true, '1': true, no: false, false: false, '0': false };

/** One CSV row (cells already trimmed). */
export const measureCsvRowSchema = z.object({
  ...measureFields,
  active: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const key = (v ?? '').trim().toLowerCase();
      if (key === '') return true;
      const active = ACTIVE_VALUES[key];
      if (active === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Active must be yes or no (true/false and 1/0 also work), or blank for yes' });
        return z.NEVER;
      }
      return active;
    }),
});
export type MeasureCsvRecord = z.output<typeof measureCsvRowSchema>;

/** Retire or reactivate, from the edit page. */
export const measureStatusSchema = z.object({
  intent: z.enum(['retire', 'reactivate']),
  version: z.string().min(1).max(40),
});

// The list's filters, read from the query string. A value that is not offered is ignored.
export const MEASURE_STATUSES = ['active', 'retired'] as const;
export const measureFiltersSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined).transform((v) => v || undefined),
  theme: z.string().trim().max(MAX_LENGTHS.theme).optional().catch(undefined).transform((v) => v || undefined),
  status: z.enum(MEASURE_STATUSES).optional().catch(undefined),
  year: z.coerce.number().int().min(MIN_FRAMEWORK_YEAR).max(MAX_FRAMEWORK_YEAR).optional().catch(undefined),
});
export type MeasureFilters = z.infer<typeof measureFiltersSchema>;

export function parseMeasureFilters(searchParams: URLSearchParams): MeasureFilters {
  const raw = Object.fromEntries(['q', 'theme', 'status', 'year'].map((key) => [key, searchParams.get(key) || undefined]));
  return measureFiltersSchema.parse(raw);
}

/** One problem with an import: the file as a whole (line null), or one cell. */
export interface ImportProblem {
  /** Line in the file (the header is line 1); null for a problem with the whole file. */
  line: number | null;
  /** The CSV column, when the problem is in one cell. */
  column: string | null;
  message: string;
}
