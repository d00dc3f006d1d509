// Bulk import of contracts with their commitments from CSV: the columns and
// their rules. Pure (no server imports): the import page explains the columns
// from this list, and the server checks every row against it.
// Written up in docs/csv.md ("Contracts and commitments"); keep the two in step.
import { CONTRACT_LIMITS, DUE_DATE_YEARS_AFTER_END, REFERENCE_PATTERN } from './contracts.schema';
import { MAX_YEAR, MIN_YEAR, isRealDate, isoDate } from './dates';

/** The same limits as the contract and commitment forms. */
export const IMPORT_LIMITS = {
  reference: CONTRACT_LIMITS.reference,
  title: CONTRACT_LIMITS.title,
  description: CONTRACT_LIMITS.description,
  targetMilli: CONTRACT_LIMITS.targetMilli,
  valuePence: CONTRACT_LIMITS.valuePence,
  supplier: 200,
  ward: 100,
  measureCode: 30,
  email: 254,
} as const;

export { DUE_DATE_YEARS_AFTER_END, MAX_YEAR, MIN_YEAR, REFERENCE_PATTERN };

/** Problems listed in full; a file with more still reports the total. */
export const MAX_REPORTED_PROBLEMS = 500;

export interface ImportColumn {
  name: string;
  required: boolean;
  /** True for the contract's own fields, which every row of a contract must repeat identically. */
  contract: boolean;
  description: string;
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { name: 'contract_reference', required: true, contract: true, description: `The contract’s reference, up to ${IMPORT_LIMITS.reference} characters: letters, numbers, spaces, full stops, slashes, hyphens and underscores, starting with a letter or number. Rows with the same reference make one contract. It must not already be in the portal: the import only creates new contracts.` },
  { name: 'contract_title', required: true, contract: true, description: `Up to ${IMPORT_LIMITS.title} characters.` },
  { name: 'contract_description', required: false, contract: true, description: `Optional, up to ${IMPORT_LIMITS.description} characters.` },
  { name: 'supplier', required: true, contract: true, description: 'The supplier’s name or company number, exactly as in the portal. The supplier must already be a verified supplier organisation.' },
  { name: 'contract_value', required: true, contract: true, description: 'In pounds, like 1250000 or £1,250,000.00.' },
  { name: 'start_date', required: true, contract: true, description: `Like 2026-04-01 or 01/04/2026 (day first), from ${MIN_YEAR} to ${MAX_YEAR}.` },
  { name: 'end_date', required: true, contract: true, description: 'On or after the start date.' },
  { name: 'officer_email', required: true, contract: true, description: 'The responsible officer: the email of an active council officer or administrator.' },
  { name: 'measure_code', required: true, contract: false, description: 'The code of an active measure in the measures framework.' },
  { name: 'target_quantity', required: true, contract: false, description: 'More than 0, in the measure’s unit, with up to 3 decimal places, like 2.5.' },
  { name: 'due_date', required: true, contract: false, description: `On or after the contract’s start date and no more than ${DUE_DATE_YEARS_AFTER_END} year after its end date.` },
  { name: 'ward', required: false, contract: false, description: 'Optional: the name of one of the authority’s wards.' },
  { name: 'commitment_description', required: true, contract: false, description: `What exactly will be done, up to ${IMPORT_LIMITS.description} characters.` },
];

export const IMPORT_REQUIRED = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.name);
export const IMPORT_OPTIONAL = IMPORT_COLUMNS.filter((c) => !c.required).map((c) => c.name);
export const IMPORT_HEADER = IMPORT_COLUMNS.map((c) => c.name);
export const CONTRACT_COLUMNS = IMPORT_COLUMNS.filter((c) => c.contract).map((c) => c.name);

export const FORMULA_PROBLEM =
  'must not start with =, +, - or @ (a spreadsheet would run it as a formula). Remove the formula or the leading character';

/** One problem found in an import: the file line it is on (1 is the header; a row's line) and its column, where known. */
export interface ImportProblem {
  line: number | null;
  column: string | null;
  message: string;
}

/** The field name a column's problems are shown under: "contract_value" → "Contract value". */
export function columnLabel(column: string): string {
  const text = column.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "2026-04-01" or "1/4/2026" (UK order, day first) → "2026-04-01"; null if it is not a real date from 2000 to 2100. */
export function parseImportDate(input: string): string | null {
  const text = input.trim();
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isRealDate(year, month, day) ? isoDate(year, month, day) : null;
  }
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match) {
    const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isRealDate(year, month, day) ? isoDate(year, month, day) : null;
  }
  return null;
}

/** "Imported 2 contracts with 7 commitments": the banner after an import. */
export function importedMessage({ contracts, commitments }: { contracts: number; commitments: number }): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
  return `Imported ${plural(contracts, 'contract')} with ${plural(commitments, 'commitment')}`;
}
