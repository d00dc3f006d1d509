// Reading one CSV row of a contracts import: the checks that need nothing but
// the row itself (formats, lengths, formulas). Pure; the database checks and the
// checks across rows are in contracts-import.server.ts.
import { looksLikeFormula } from '~/utils/csv';
import { parsePounds, parseQuantity } from './figures';
import {
  FORMULA_PROBLEM, IMPORT_LIMITS, MAX_YEAR, MIN_YEAR, REFERENCE_PATTERN, columnLabel, parseImportDate, type ImportProblem,
} from './contracts-import.schema';

export interface ImportRow {
  line: number;
  /** Null wherever the cell had a problem (already reported). */
  reference: string | null;
  title: string | null;
  description: string | null;
  supplier: string | null;
  valuePence: number | null;
  startDate: string | null;
  endDate: string | null;
  officerEmail: string | null;
  measureCode: string | null;
  targetMilli: number | null;
  dueDate: string | null;
  /** '' when no ward is given. */
  ward: string | null;
  commitmentDescription: string | null;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const DATE_FORMAT = 'must be a real date written like 2026-04-01 or 01/04/2026';

export function readImportRow(record: Record<string, string>, line: number): { row: ImportRow; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const problem = (column: string, message: string) => {
    problems.push({ line, column, message });
    return null;
  };

  /** The trimmed cell, or null (with a problem) if it is missing, too long, a formula or has control characters. */
  const text = (column: string, { required, max, multiline = false, missing }: { required: boolean; max: number; multiline?: boolean; missing?: string }) => {
    const value = record[column] ?? '';
    const label = columnLabel(column);
    if (value === '') return required ? problem(column, missing ?? `Enter the ${label.toLowerCase()}`) : '';
    if (looksLikeFormula(value)) return problem(column, `${label} ${FORMULA_PROBLEM}`);
    if (CONTROL.test(value) || (!multiline && LINE_BREAK.test(value))) {
      return problem(column, `${label} must not contain ${multiline ? 'control characters' : 'line breaks or control characters'}`);
    }
    if (value.length > max) return problem(column, `${label} must be ${max} characters or fewer (it has ${value.length})`);
    return value;
  };

  /** A number cell: "-5" is a negative number, not a formula. */
  const numberCell = (column: string, missing: string) => {
    const value = record[column] ?? '';
    if (value === '') return problem(column, missing);
    if (/^-\s*£?\s*\d/.test(value)) return problem(column, `${columnLabel(column)} must not be negative`);
    if (looksLikeFormula(value)) return problem(column, `${columnLabel(column)} ${FORMULA_PROBLEM}`);
    return value;
  };

  const date = (column: string) => {
    const value = text(column, { required: true, max: 20, missing: `Enter the ${columnLabel(column).toLowerCase()}` });
    if (value === null) return null;
    return parseImportDate(value) ?? problem(column, `${columnLabel(column)} ${DATE_FORMAT}, from ${MIN_YEAR} to ${MAX_YEAR}`);
  };

  let reference = text('contract_reference', { required: true, max: IMPORT_LIMITS.reference, missing: 'Enter the contract reference' });
  if (reference && !REFERENCE_PATTERN.test(reference)) {
    reference = problem('contract_reference', 'Contract reference must start with a letter or number and use only letters, numbers, spaces, full stops, slashes, hyphens and underscores');
  }
  const title = text('contract_title', { required: true, max: IMPORT_LIMITS.title, missing: 'Enter the contract title' });
  const description = text('contract_description', { required: false, max: IMPORT_LIMITS.description, multiline: true });
  const supplier = text('supplier', { required: true, max: IMPORT_LIMITS.supplier, missing: 'Enter the supplier’s name or company number' });

  let valuePence: number | null = null;
  const value = numberCell('contract_value', 'Enter the contract value in pounds');
  if (value !== null) {
    valuePence = parsePounds(value);
    if (valuePence === null) problem('contract_value', 'Contract value must be an amount in pounds, like 1250000 or £1,250,000.00');
    else if (valuePence > IMPORT_LIMITS.valuePence) valuePence = problem('contract_value', 'Contract value must be £10,000,000,000 or less');
  }

  const startDate = date('start_date');
  const endDate = date('end_date');

  let officerEmail = text('officer_email', { required: true, max: IMPORT_LIMITS.email, missing: 'Enter the responsible officer’s email address' });
  if (officerEmail !== null) {
    officerEmail = officerEmail.toLowerCase();
    if (!EMAIL.test(officerEmail)) officerEmail = problem('officer_email', 'Officer email must be an email address, like name@example.org');
  }

  const measureCode = text('measure_code', { required: true, max: IMPORT_LIMITS.measureCode, missing: 'Enter the measure code' });

  let targetMilli: number | null = null;
  const target = numberCell('target_quantity', 'Enter the target quantity');
  if (target !== null) {
    targetMilli = parseQuantity(target);
    if (targetMilli === null) {
      problem('target_quantity', /^\d[\d,]*\.\d{4,}$/.test(target)
        ? 'Target quantity must have no more than 3 decimal places'
        : 'Target quantity must be a number, like 12 or 2.5');
    } else if (targetMilli === 0) {
      targetMilli = problem('target_quantity', 'Target quantity must be more than 0');
    } else if (targetMilli > IMPORT_LIMITS.targetMilli) {
      targetMilli = problem('target_quantity', 'Target quantity must be 10,000,000 or less');
    }
  }

  const dueDate = date('due_date');
  const ward = text('ward', { required: false, max: IMPORT_LIMITS.ward });
  const commitmentDescription = text('commitment_description', {
    required: true, max: IMPORT_LIMITS.description, multiline: true, missing: 'Enter a description of what exactly will be done',
  });

  return {
    row: { line, reference, title, description, supplier, valuePence, startDate, endDate, officerEmail, measureCode, targetMilli, dueDate, ward, commitmentDescription },
    problems,
  };
}
