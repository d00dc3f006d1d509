import { createHash } from 'node:crypto';
import type { Db, DbOrTx, Tx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { isUniqueViolation } from '~/modules/organisations/constraint.server';
import { headerProblems, parseCsv, rowRecord } from '~/utils/csv';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { loadImportLookups, type ImportLookups } from './contracts-import-lookups.server';
import { readImportRow, type ImportRow } from './contracts-import-rows';
import {
  CONTRACT_COLUMNS, DUE_DATE_YEARS_AFTER_END, IMPORT_HEADER, IMPORT_OPTIONAL, IMPORT_REQUIRED, MAX_REPORTED_PROBLEMS, columnLabel, type ImportProblem,
} from './contracts-import.schema';
import { addYears } from './dates';
import { valueOfQuantity } from './figures';

// Bulk import of contracts with their commitments (docs/csv.md). One row per
// commitment; rows with the same reference form one contract. Every row is
// checked and every problem reported; if there is any, nothing is written.
// The import only creates contracts: a reference already in the portal is a problem.

export type ImportResult =
  | { ok: true; importId: string; contracts: number; commitments: number }
  | { ok: false; problems: ImportProblem[]; totalProblems: number };

interface Resolved {
  supplierId?: string;
  supplierName?: string;
  officerId?: string;
  measure?: { id: string; code: string; proxyValuePence: number };
  wardId?: string | null;
}

interface ContractGroup {
  /** The reference in lower case: rows are grouped ignoring case, as the database compares references. */
  key: string;
  rows: ImportRow[];
  resolved: Map<ImportRow, Resolved>;
  /** The contract's fields, from the first row that gives each one validly. */
  reference: string;
  title?: string;
  description?: string;
  valuePence?: number;
  startDate?: string;
  endDate?: string;
  supplierId?: string;
  supplierName?: string;
  officerId?: string;
}

const quote = (text: string) => `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;

/** Per contract column: the value rows must agree on (null when the cell already has a problem) and how to show it. */
const CANONICAL: Record<string, (row: ImportRow, r: Resolved) => { key: string; shown: string } | null> = {
  contract_reference: (row) => (row.reference ? { key: row.reference, shown: row.reference } : null),
  contract_title: (row) => (row.title !== null ? { key: row.title, shown: row.title } : null),
  contract_description: (row) => (row.description !== null ? { key: row.description, shown: row.description || '(blank)' } : null),
  supplier: (row, r) => (r.supplierId && row.supplier ? { key: r.supplierId, shown: row.supplier } : null),
  contract_value: (row) => (row.valuePence !== null ? { key: String(row.valuePence), shown: `£${(row.valuePence / 100).toFixed(2)}` } : null),
  start_date: (row) => (row.startDate ? { key: row.startDate, shown: formatDate(row.startDate) } : null),
  end_date: (row) => (row.endDate ? { key: row.endDate, shown: formatDate(row.endDate) } : null),
  officer_email: (row, r) => (r.officerId && row.officerEmail ? { key: r.officerId, shown: row.officerEmail } : null),
};

const ORDER = new Map(IMPORT_HEADER.map((c, i) => [c, i]));
const byRowThenColumn = (a: ImportProblem, b: ImportProblem) =>
  (a.line ?? 0) - (b.line ?? 0) || (ORDER.get(a.column ?? '') ?? -1) - (ORDER.get(b.column ?? '') ?? -1);

/** Checks the rows against the database and each other; fills in each contract's fields. */
function checkContracts(rows: ImportRow[], lookups: ImportLookups, problems: ImportProblem[]): ContractGroup[] {
  const groups = new Map<string, ContractGroup>();
  const reported = new Set<string>();
  /** Contract-level problems are reported once per contract and value, on the first row that has them. */
  const once = (group: ContractGroup, row: ImportRow, column: string, value: string, message: string) => {
    const key = `${group.key}|${column}|${value.toLowerCase()}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ line: row.line, column, message });
  };

  for (const row of rows) {
    // A row without a usable reference is checked on its own (its reference problem is already reported).
    const key = row.reference ? row.reference.toLowerCase() : `\u0000${row.line}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, rows: [], resolved: new Map(), reference: row.reference ?? '' };
      groups.set(key, group);
    }
    group.rows.push(row);
    const r: Resolved = {};
    if (row.supplier) {
      const found = lookups.supplier(row.supplier);
      if (found.ok) { r.supplierId = found.value.id; r.supplierName = found.value.name; } else once(group, row, 'supplier', row.supplier, found.message);
    }
    if (row.officerEmail) {
      const found = lookups.officer(row.officerEmail);
      if (found.ok) r.officerId = found.value.id; else once(group, row, 'officer_email', row.officerEmail, found.message);
    }
    if (row.measureCode) {
      const found = lookups.measure(row.measureCode);
      if (!found.ok) problems.push({ line: row.line, column: 'measure_code', message: found.message });
      else if (row.targetMilli !== null && !Number.isSafeInteger(valueOfQuantity(row.targetMilli, found.value.proxyValuePence))) {
        problems.push({ line: row.line, column: 'target_quantity', message: `Target quantity is too large: at measure ${found.value.code}’s proxy value its social value cannot be worked out exactly` });
      } else r.measure = found.value;
    }
    if (row.ward) {
      const found = lookups.ward(row.ward);
      if (found.ok) r.wardId = found.value.id; else problems.push({ line: row.line, column: 'ward', message: found.message });
    } else if (row.ward === '') {
      r.wardId = null;
    }
    group.resolved.set(row, r);
  }

  for (const group of groups.values()) {
    const first = group.rows[0]!;
    const existing = group.reference ? lookups.existingReferences.get(group.key) : undefined;
    if (existing) {
      problems.push({
        line: first.line, column: 'contract_reference',
        message: `A contract with the reference ${existing} is already in the portal. The import only creates new contracts: remove this contract’s rows, or change the existing contract on its page`,
      });
    }
    // Every row of a contract must repeat the contract's fields identically.
    for (const column of CONTRACT_COLUMNS) {
      let baseline: { key: string; shown: string; line: number } | undefined;
      for (const row of group.rows) {
        const value = CANONICAL[column]!(row, group.resolved.get(row)!);
        if (!value) continue;
        if (!baseline) { baseline = { ...value, line: row.line }; continue; }
        if (value.key !== baseline.key) {
          problems.push({
            line: row.line, column,
            message: `${columnLabel(column)} ${quote(value.shown)} differs from row ${baseline.line} (${quote(baseline.shown)}). Every row of contract ${group.reference} must give the same ${columnLabel(column).toLowerCase()}`,
          });
        }
      }
    }
    const firstWith = <K extends keyof ImportRow>(field: K) => group.rows.find((row) => row[field] !== null)?.[field] ?? undefined;
    group.title = firstWith('title') as string | undefined;
    group.description = firstWith('description') as string | undefined;
    group.valuePence = firstWith('valuePence') as number | undefined;
    group.startDate = firstWith('startDate') as string | undefined;
    group.endDate = firstWith('endDate') as string | undefined;
    const withSupplier = group.rows.find((row) => group.resolved.get(row)!.supplierId);
    group.supplierId = withSupplier ? group.resolved.get(withSupplier)!.supplierId : undefined;
    group.supplierName = withSupplier ? group.resolved.get(withSupplier)!.supplierName : undefined;
    group.officerId = group.rows.map((row) => group.resolved.get(row)!.officerId).find(Boolean);

    const { startDate, endDate } = group;
    if (startDate && endDate && endDate < startDate) {
      const row = group.rows.find((r) => r.endDate === endDate)!;
      problems.push({ line: row.line, column: 'end_date', message: `End date (${formatDate(endDate)}) must be on or after the start date (${formatDate(startDate)})` });
    }
    if (startDate && endDate && endDate >= startDate) {
      const latest = addYears(endDate, DUE_DATE_YEARS_AFTER_END);
      for (const row of group.rows) {
        if (!row.dueDate) continue;
        if (row.dueDate < startDate) {
          problems.push({ line: row.line, column: 'due_date', message: `Due date (${formatDate(row.dueDate)}) must be on or after the contract’s start date (${formatDate(startDate)})` });
        } else if (row.dueDate > latest) {
          problems.push({ line: row.line, column: 'due_date', message: `Due date (${formatDate(row.dueDate)}) must be no more than a year after the contract’s end date, so by ${formatDate(latest)}` });
        }
      }
    }
  }
  return [...groups.values()];
}

async function writeContracts(tx: Tx, groups: ContractGroup[], actor: Actor, importId: string, now: Date) {
  const at = nowIso(now);
  let commitments = 0;
  for (const group of groups) {
    const contractId = newId();
    const contract = {
      reference: group.reference, title: group.title!, description: group.description ?? '', supplier_id: group.supplierId!,
      value_pence: group.valuePence!, start_date: group.startDate!, end_date: group.endDate!, officer_id: group.officerId!,
    };
    await tx.insertInto('contract').values({ id: contractId, ...contract, closed_at: null, closure_reason: null, created_at: at, updated_at: at }).execute();
    const written = [];
    for (const row of group.rows) {
      const r = group.resolved.get(row)!;
      const commitment = {
        id: newId(), contract_id: contractId, measure_id: r.measure!.id, target_milli: row.targetMilli!,
        proxy_value_pence: r.measure!.proxyValuePence, due_date: row.dueDate!, ward_id: r.wardId ?? null, description: row.commitmentDescription!,
      };
      await tx.insertInto('commitment').values({ ...commitment, created_at: at, updated_at: at }).execute();
      written.push({ id: commitment.id, line: row.line, measureCode: r.measure!.code, targetMilli: commitment.target_milli, proxyValuePence: commitment.proxy_value_pence, dueDate: commitment.due_date, wardId: commitment.ward_id });
    }
    commitments += written.length;
    await recordAudit(tx, actor, {
      action: 'contract.imported', subjectType: 'contract', subjectId: contractId,
      after: { importId, ...contract, supplierName: group.supplierName, status: 'active', commitments: written },
    });
  }
  return commitments;
}

const fail = (problems: ImportProblem[]): ImportResult => ({
  ok: false, problems: problems.slice(0, MAX_REPORTED_PROBLEMS), totalProblems: problems.length,
});

/**
 * Imports a CSV file of contracts and commitments, all or nothing. The checks run
 * inside the writing transaction, so two imports of the same file cannot both pass.
 */
export async function importContracts(db: Db, file: { name: string; bytes: Uint8Array }, actor: Actor, now = new Date()): Promise<ImportResult> {
  const parsed = parseCsv(file.bytes);
  if (!parsed.ok) return fail([{ line: null, column: null, message: parsed.message }]);
  const header = headerProblems(parsed.header, IMPORT_REQUIRED, IMPORT_OPTIONAL);
  if (header.length) {
    const expected = `The first row must name the columns: ${IMPORT_REQUIRED.join(', ')} (and optionally ${IMPORT_OPTIONAL.join(', ')}). Download the template to start from`;
    return fail([...header, expected].map((message) => ({ line: 1, column: null, message })));
  }
  if (parsed.rows.length === 0) return fail([{ line: null, column: null, message: 'The file has a header row but no contracts. Add one row for each commitment' }]);

  const problems: ImportProblem[] = [];
  const rows = parsed.rows.map((csvRow) => {
    const { row, problems: found } = readImportRow(rowRecord(parsed.header, csvRow), csvRow.line);
    problems.push(...found);
    return row;
  });

  try {
    return await db.transaction().execute(async (tx): Promise<ImportResult> => {
      const lookups = await loadImportLookups(tx, {
        references: rows.map((r) => r.reference), emails: rows.map((r) => r.officerEmail), measureCodes: rows.map((r) => r.measureCode),
      });
      const groups = checkContracts(rows, lookups, problems);
      if (problems.length) return fail(problems.sort(byRowThenColumn));

      const importId = newId();
      const commitments = await writeContracts(tx, groups, actor, importId, now);
      await recordAudit(tx, actor, {
        action: 'contracts.imported', subjectType: 'contract_import', subjectId: importId,
        after: {
          fileName: file.name, sha256: createHash('sha256').update(file.bytes).digest('hex'),
          contracts: groups.length, commitments, references: groups.map((g) => g.reference),
        },
      });
      return { ok: true, importId, contracts: groups.length, commitments };
    });
  } catch (error) {
    // Another officer created one of these references between our check and our write (another process).
    if (isUniqueViolation(error)) {
      return fail([{ line: null, column: 'contract_reference', message: 'A contract with one of these references was created while the file was being imported. Nothing was imported. Check the contracts list and try again' }]);
    }
    throw error;
  }
}

/**
 * What one import created, for the banner on /contracts?imported=<importId>
 * (read from its summary audit event; null for an id that is not an import).
 */
export async function findContractsImport(db: DbOrTx, importId: string): Promise<{ contracts: number; commitments: number } | null> {
  const event = await db
    .selectFrom('audit_event')
    .select('after_json')
    .where('action', '=', 'contracts.imported')
    .where('subject_type', '=', 'contract_import')
    .where('subject_id', '=', importId)
    .executeTakeFirst();
  if (!event?.after_json) return null;
  const after = JSON.parse(event.after_json) as { contracts?: unknown; commitments?: unknown };
  return typeof after.contracts === 'number' && typeof after.commitments === 'number' ? { contracts: after.contracts, commitments: after.commitments } : null;
}
