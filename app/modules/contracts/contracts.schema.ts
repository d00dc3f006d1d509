import { z } from 'zod';
import { capitalise, optionalText, requiredText } from '~/utils/schema';
import { MAX_YEAR, MIN_YEAR, isRealDate, isoDate } from './dates';
import { parsePounds, parseQuantity } from './figures';

// The contract and commitment forms' rules. No server imports: the pages use these too.

export const CONTRACT_LIMITS = {
  reference: 50,
  title: 200,
  description: 2000,
  closureReason: 1000,
  changeReason: 1000,
  /** £10 billion. */
  valuePence: 1_000_000_000_000,
  /** 10 million units. The service also checks that target × proxy stays a safe integer. */
  targetMilli: 10_000_000_000,
} as const;

/** A commitment may fall due up to this many years after the contract's end date (e.g. jobs sustained after completion). */
export const DUE_DATE_YEARS_AFTER_END = 1;

export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ./_-]*$/;

const selectId = (message: string) => z.string({ required_error: message }).trim().min(1, message).max(100, message);

type DatePart = 'day' | 'month' | 'year';

/**
 * A GOV.UK date input: three fields named `<name>.day`, `<name>.month`, `<name>.year`,
 * turned into YYYY-MM-DD, with the GOV.UK messages. The error is reported on `<name>`.
 */
export function dateInput(label: string) {
  const Label = capitalise(label);
  return z.unknown().transform((value, ctx) => {
    const raw = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    const part = (key: DatePart) => (typeof raw[key] === 'string' ? (raw[key] as string).trim() : '');
    const [day, month, year] = [part('day'), part('month'), part('year')];
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!day && !month && !year) return fail(`Enter the ${label}`);
    const missing = (['day', 'month', 'year'] as const).filter((k) => !{ day, month, year }[k]);
    if (missing.length) return fail(`${Label} must include a ${missing.join(' and a ')}`);
    if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month)) return fail(`${Label} must be a real date`);
    if (!/^\d{4}$/.test(year)) return fail(`Year must include 4 numbers`);
    const [d, m, y] = [Number(day), Number(month), Number(year)];
    if (y < MIN_YEAR || y > MAX_YEAR) return fail(`${Label} must be between ${MIN_YEAR} and ${MAX_YEAR}`);
    if (!isRealDate(y, m, d)) return fail(`${Label} must be a real date`);
    return isoDate(y, m, d);
  });
}

const MONEY_FORMAT = 'Enter the contract value in pounds, like 1250000 or £1,250,000.00';

const contractValue = z
  .string({ required_error: 'Enter the contract value' })
  .trim()
  .min(1, 'Enter the contract value')
  .max(30, MONEY_FORMAT)
  .transform((text, ctx) => {
    const pence = parsePounds(text);
    if (pence === null) {
      ctx.addIssue({ code: 'custom', message: MONEY_FORMAT });
      return z.NEVER;
    }
    if (pence > CONTRACT_LIMITS.valuePence) {
      ctx.addIssue({ code: 'custom', message: 'Contract value must be £10,000,000,000 or less' });
      return z.NEVER;
    }
    return pence;
  });

const QUANTITY_FORMAT = 'Enter the target as a number, like 12 or 2.5 (up to 3 decimal places)';

const targetQuantity = z
  .string({ required_error: 'Enter the target quantity' })
  .trim()
  .min(1, 'Enter the target quantity')
  .max(30, QUANTITY_FORMAT)
  .transform((text, ctx) => {
    const milli = parseQuantity(text);
    if (milli === null) {
      ctx.addIssue({ code: 'custom', message: QUANTITY_FORMAT });
      return z.NEVER;
    }
    if (milli <= 0) {
      ctx.addIssue({ code: 'custom', message: 'Target must be more than 0' });
      return z.NEVER;
    }
    if (milli > CONTRACT_LIMITS.targetMilli) {
      ctx.addIssue({ code: 'custom', message: 'Target must be 10,000,000 or less' });
      return z.NEVER;
    }
    return milli;
  });

/** The version the form was loaded at (the record's updated_at): a stale form is refused, not saved over a newer change. */
const version = z.string().max(40).optional();

export const contractSchema = z
  .object({
    reference: requiredText('reference', CONTRACT_LIMITS.reference, 'Enter the contract reference')
      .refine((v) => REFERENCE_PATTERN.test(v), 'Reference must start with a letter or number and use only letters, numbers, spaces, full stops, slashes, hyphens and underscores'),
    title: requiredText('title', CONTRACT_LIMITS.title, 'Enter the contract title'),
    description: optionalText('description', CONTRACT_LIMITS.description),
    supplierId: selectId('Select the supplier'),
    value: contractValue,
    startDate: dateInput('start date'),
    endDate: dateInput('end date'),
    officerId: selectId('Select the responsible officer'),
    version,
  })
  .superRefine((v, ctx) => {
    if (typeof v.startDate === 'string' && typeof v.endDate === 'string' && v.endDate < v.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'End date must be the same as or after the start date' });
    }
  });

export type ContractInput = z.output<typeof contractSchema>;

/** A date input's three fields as typed. */
export interface DateParts {
  day?: string;
  month?: string;
  year?: string;
}

type WithDates<T, K extends keyof T> = Omit<T, K> & { [P in K]?: DateParts };
/** The contract form's shape as conform sees it (the dates as three fields). */
export type ContractForm = WithDates<z.input<typeof contractSchema>, 'startDate' | 'endDate'>;

export const CLOSURE_STATUSES = ['completed', 'terminated'] as const;

export const closeContractSchema = z.object({
  status: z.enum(CLOSURE_STATUSES, { errorMap: () => ({ message: 'Select whether the contract was completed or terminated' }) }),
  reason: requiredText('reason', CONTRACT_LIMITS.closureReason, 'Enter why the contract is being closed'),
  version,
});

export type CloseContractInput = z.output<typeof closeContractSchema>;

export const commitmentSchema = z.object({
  measureId: selectId('Select the measure'),
  target: targetQuantity,
  dueDate: dateInput('due date'),
  wardId: z.string().trim().max(100, 'Select a ward from the list').optional(),
  description: requiredText('description', CONTRACT_LIMITS.description, 'Describe what exactly will be done'),
  /** Required by the service once the contract has started (it knows the dates). */
  reason: optionalText('reason', CONTRACT_LIMITS.changeReason),
  version,
});

export type CommitmentInput = z.output<typeof commitmentSchema>;
export type CommitmentForm = WithDates<z.input<typeof commitmentSchema>, 'dueDate'>;

export const REASON_REQUIRED = 'Enter the reason for changing this commitment: the contract has started';

/* ------------------------------------------------------------- the list */

export const CONTRACT_STATUSES = ['active', 'completed', 'terminated'] as const;
export const CONTRACT_STATUS_LABELS: Record<(typeof CONTRACT_STATUSES)[number], string> = {
  active: 'Active',
  completed: 'Completed',
  terminated: 'Terminated',
};

export const CONTRACT_SORTS = {
  reference: 'Reference',
  title: 'Title',
  'end-date': 'End date',
  value: 'Contract value',
  supplier: 'Supplier',
} as const;
export type ContractSort = keyof typeof CONTRACT_SORTS;

export interface ContractFilters {
  q?: string;
  supplier?: string;
  officer?: string;
  status?: (typeof CONTRACT_STATUSES)[number];
  theme?: string;
  ward?: string;
  sort: ContractSort;
  order: 'asc' | 'desc';
}

const short = (max: number) => (value: string | null) => {
  const text = value?.trim();
  return text && text.length <= max ? text : undefined;
};

/** The list's query string, leniently: a value that makes no sense is ignored, never an error. */
export function parseContractFilters(params: URLSearchParams): ContractFilters {
  const status = params.get('status');
  const sort = params.get('sort');
  return {
    q: short(100)(params.get('q')),
    supplier: short(100)(params.get('supplier')),
    officer: short(100)(params.get('officer')),
    status: (CONTRACT_STATUSES as readonly string[]).includes(status ?? '') ? (status as ContractFilters['status']) : undefined,
    theme: short(100)(params.get('theme')),
    ward: short(100)(params.get('ward')),
    sort: sort && Object.hasOwn(CONTRACT_SORTS, sort) ? (sort as ContractSort) : 'reference',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}
