import type { DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { penceToInput } from '~/modules/contracts/figures';
import { FILE_TOO_BIG, MAX_CSV_BYTES, headerProblems, looksLikeFormula, parseCsv, rowRecord, toCsv } from '~/utils/csv';

export { FILE_TOO_BIG };
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import {
  FORMULA_MESSAGE, MEASURE_CSV_COLUMNS, MEASURE_CSV_OPTIONAL, MEASURE_CSV_REQUIRED,
  measureCsvRowSchema, type ImportProblem, type MeasureCsvColumn, type MeasureCsvRecord,
} from './measures.schema';
import { applyUpdate, inUseMessage, measureSnapshot, type Measure } from './measures.server';

// The measures framework as CSV (docs/csv.md). An export re-imports cleanly:
// same columns, amounts in pounds, active as yes/no. An import is all or
// nothing: every row is checked first, every problem is reported by line and
// column, and only a file with no problems is written, in one transaction.
// A row whose code already exists (capitals do not count) updates that measure,
// except its unit once commitments use it: they read the unit from the measure.

/** Problems listed in full; a file with more still reports the total. */
export const MAX_REPORTED_PROBLEMS = 500;


export async function exportMeasuresCsv(db: DbOrTx): Promise<string> {
  const rows = await db.selectFrom('measure').selectAll().orderBy('code').execute();
  return toCsv(MEASURE_CSV_COLUMNS, rows.map((m) => [
    m.code, m.theme, m.outcome, m.title, m.unit, penceToInput(m.proxy_value_pence), m.framework_year, m.active === 1 ? 'yes' : 'no',
  ]));
}

/** The downloadable template: the header and one example row to overwrite. */
export function measuresCsvTemplate(): string {
  return toCsv(MEASURE_CSV_COLUMNS, [
    ['EX-01', 'Jobs', 'More local people in work', 'Local residents employed on the contract (full-time equivalent)', 'FTE', '25000.00', new Date().getFullYear(), 'yes'],
  ]);
}

export type MeasureImportResult =
  | { ok: true; rows: number; created: number; updated: number; unchanged: number }
  | { ok: false; problems: ImportProblem[]; totalProblems: number };

interface CheckedRow {
  line: number;
  record: MeasureCsvRecord;
}

/** A measure that commitments use, keyed by its code in lower case: its unit must not change. */
export interface MeasureInUse {
  unit: string;
  commitments: number;
}

/** The measures used by at least one commitment, by lower-case code. */
export async function measuresInUse(db: DbOrTx): Promise<Map<string, MeasureInUse>> {
  const rows = await db
    .selectFrom('measure')
    .innerJoin('commitment', 'commitment.measure_id', 'measure.id')
    .select((eb) => ['measure.code', 'measure.unit', eb.fn.countAll<number>().as('commitments')])
    .groupBy('measure.id')
    .execute();
  return new Map(rows.map((r) => [r.code.toLowerCase(), { unit: r.unit, commitments: r.commitments }]));
}

/** Checks every row; returns the rows ready to write, or every problem found. */
export function checkMeasureRows(
  bytes: Uint8Array,
  inUse: ReadonlyMap<string, MeasureInUse> = new Map(),
): { ok: true; rows: CheckedRow[] } | { ok: false; problems: ImportProblem[] } {
  if (bytes.byteLength > MAX_CSV_BYTES) return { ok: false, problems: [{ line: null, column: null, message: FILE_TOO_BIG }] };
  const parsed = parseCsv(bytes);
  if (!parsed.ok) return { ok: false, problems: [{ line: null, column: null, message: parsed.message }] };
  const { header, rows } = parsed;
  const headerIssues = headerProblems(header, MEASURE_CSV_REQUIRED, MEASURE_CSV_OPTIONAL);
  if (headerIssues.length) {
    const expected = `The first row must name the columns: ${MEASURE_CSV_REQUIRED.join(', ')} (and optionally ${MEASURE_CSV_OPTIONAL.join(', ')})`;
    return { ok: false, problems: [...headerIssues, expected].map((message) => ({ line: 1, column: null, message })) };
  }
  if (rows.length === 0) return { ok: false, problems: [{ line: null, column: null, message: 'The file has a header row but no measures' }] };

  const problems: ImportProblem[] = [];
  const checked: CheckedRow[] = [];
  const seenCodes = new Map<string, number>();
  const columnOrder = (c: string | null) => MEASURE_CSV_COLUMNS.indexOf(c as MeasureCsvColumn);
  for (const row of rows) {
    const rowProblems: ImportProblem[] = [];
    const add = (column: string | null, message: string) => rowProblems.push({ line: row.line, column, message });
    if (row.cells.length > header.length && row.cells.slice(header.length).some((c) => c.trim() !== '')) {
      add(null, `The row has ${row.cells.length} cells but the header names ${header.length} columns. Check for an unquoted comma`);
    }
    const record = rowRecord(header, row);
    // A cell that looks like a formula is refused outright (docs/csv.md), whatever the column.
    const formulaColumns = new Set(header.filter((column, i) => looksLikeFormula(row.cells[i] ?? '') || looksLikeFormula(record[column] ?? '')));
    for (const column of formulaColumns) add(column, `The cell ${FORMULA_MESSAGE}`);
    const result = measureCsvRowSchema.safeParse(record);
    if (result.success) {
      const key = result.data.code.toLowerCase();
      const first = seenCodes.get(key);
      if (first !== undefined) add('code', `Code ${result.data.code} is also on line ${first}. Each code may appear only once in a file`);
      else seenCodes.set(key, row.line);
      const used = inUse.get(key);
      if (used && used.unit !== result.data.unit) add('unit', inUseMessage('unit', used.commitments));
      if (rowProblems.length === 0) checked.push({ line: row.line, record: result.data });
    } else {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? '');
        if (formulaColumns.has(column)) continue;
        if (!rowProblems.some((p) => p.column === column)) add(column, issue.message);
      }
      const code = record.code?.toLowerCase();
      if (code && !seenCodes.has(code)) seenCodes.set(code, row.line);
    }
    rowProblems.sort((a, b) => columnOrder(a.column) - columnOrder(b.column));
    problems.push(...rowProblems);
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows: checked };
}

/** Imports a measures CSV: all rows or none. Rows with an existing code update that measure. */
export async function importMeasuresCsv(db: DbOrTx, bytes: Uint8Array, actor: Actor): Promise<MeasureImportResult> {
  // Checked inside the transaction, so no commitment can start using a measure between the check and the write.
  return db.transaction().execute(async (tx): Promise<MeasureImportResult> => {
    const checked = checkMeasureRows(bytes, await measuresInUse(tx));
    if (!checked.ok) {
      return { ok: false, problems: checked.problems.slice(0, MAX_REPORTED_PROBLEMS), totalProblems: checked.problems.length };
    }
    const existing = await tx.selectFrom('measure').selectAll().execute();
    const byCode = new Map<string, Measure>(existing.map((m) => [m.code.toLowerCase(), m]));
    // One spelling per theme: the one already in use, else the first in the file.
    const themes = new Map<string, string>();
    for (const m of [...existing].sort((a, b) => a.created_at.localeCompare(b.created_at))) {
      if (!themes.has(m.theme.toLowerCase())) themes.set(m.theme.toLowerCase(), m.theme);
    }
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    const now = nowIso();
    for (const { record } of checked.rows) {
      const theme = themes.get(record.theme.toLowerCase()) ?? record.theme;
      themes.set(theme.toLowerCase(), theme);
      const fields = {
        code: record.code, theme, outcome: record.outcome, title: record.title, unit: record.unit,
        proxy_value_pence: record.proxy_value, framework_year: record.framework_year, active: record.active ? 1 : 0,
      };
      const before = byCode.get(record.code.toLowerCase());
      if (!before) {
        const measure = { id: newId(), ...fields, is_demo: 0, created_at: now, updated_at: now };
        await tx.insertInto('measure').values(measure).execute();
        await recordAudit(tx, actor, { action: 'measure.created', subjectType: 'measure', subjectId: measure.id, after: { ...measureSnapshot(measure), source: 'csv import' } });
        created += 1;
      } else if (JSON.stringify(measureSnapshot(before)) === JSON.stringify(measureSnapshot(fields))) {
        unchanged += 1;
      } else {
        await applyUpdate(tx, before, fields);
        await recordAudit(tx, actor, {
          action: 'measure.updated', subjectType: 'measure', subjectId: before.id,
          before: measureSnapshot(before), after: { ...measureSnapshot(fields), source: 'csv import' },
        });
        updated += 1;
      }
    }
    const counts = { rows: checked.rows.length, created, updated, unchanged };
    await recordAudit(tx, actor, { action: 'measure.imported', subjectType: 'measure_import', subjectId: newId(), after: counts });
    return { ok: true, ...counts } as const;
  });
}
