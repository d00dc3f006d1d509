import { z } from 'zod';

// The audit trail's filters (a GET form, so every filter lives in the URL).

export const AUDIT_PAGE_SIZE = 50;

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000 && y <= 2999;
}

const day = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a real date, like 2026-11-24`)
    .refine(isRealDate, `${label} must be a real date, like 2026-11-24`)
    .optional();

const text = (label: string, max: number) => z.string().trim().max(max, `${label} must be ${max} characters or fewer`).optional();

export const auditFiltersSchema = z
  .object({
    // Not called `action`: a form control with that name would hide the form's own action property.
    actionName: text('Action', 100),
    subjectType: text('Subject type', 50),
    actor: text('Actor email', 254),
    subjectId: text('Subject ID', 100),
    from: day('Date from'),
    to: day('Date to'),
  })
  .superRefine((filters, ctx) => {
    const valid = (v?: string): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v);
    if (valid(filters.from) && valid(filters.to) && filters.to < filters.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Date to must be the same as or after date from' });
    }
  });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** Keyset position: events older than `before`, or newer than `after` (ids of audit events). */
export interface AuditCursor {
  before?: number;
  after?: number;
}

export function parseAuditCursor(searchParams: URLSearchParams): AuditCursor {
  const id = (key: string) => {
    const n = Number(searchParams.get(key));
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  };
  const before = id('before');
  return before ? { before } : { after: id('after') };
}
