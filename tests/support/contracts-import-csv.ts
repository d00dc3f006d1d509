import { getDb } from '../../db/client';
import { IMPORT_HEADER } from '~/modules/contracts/contracts-import.schema';
import { newId } from '~/utils/ids.server';
import { makeOrganisation, makeUser, makeWard } from './factories';

// Builders for contracts-import tests: the records an import refers to, and CSV files of rows.

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();

/** A unique contract reference for one test. */
export const reference = (prefix = 'IMP') => `${prefix}-${unique()}`;

async function insertMeasure(code: string, proxyPence: number, active: boolean) {
  const now = new Date().toISOString();
  await getDb().insertInto('measure').values({
    id: newId(), code, theme: 'Jobs', outcome: 'Outcome', title: `Measure ${code}`, unit: 'FTE', proxy_value_pence: proxyPence,
    framework_year: 2026, active: active ? 1 : 0, created_at: now, updated_at: now,
  }).execute();
  return code;
}

/** A world to import into: a verified supplier, an officer, two active measures and a retired one, a ward. */
export async function importWorld() {
  const tag = unique();
  const supplierName = `Importable Builders ${tag} Ltd`;
  const supplier = await makeOrganisation('supplier', 'verified', supplierName);
  const companyNumber = `CN${tag}`.slice(0, 12);
  await getDb().updateTable('organisation').set({ company_number: companyNumber }).where('id', '=', supplier.id).execute();
  const pending = await makeOrganisation('supplier', 'pending', `Pending Supplier ${tag} Ltd`);
  const officer = await makeUser('officer');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const ward = await makeWard(`Import Ward ${tag}`);
  return {
    supplier: { ...supplier, companyNumber },
    pending,
    officer,
    contractor,
    ward,
    jobs: { code: await insertMeasure(`JOBS-${tag}`, 2_175_000, true), proxyPence: 2_175_000 },
    volunteering: { code: await insertMeasure(`VOL-${tag}`, 1_420, true), proxyPence: 1_420 },
    retired: { code: await insertMeasure(`OLD-${tag}`, 500, false), proxyPence: 500 },
  };
}

export type ImportWorld = Awaited<ReturnType<typeof importWorld>>;
export type ImportCells = Partial<Record<(typeof IMPORT_HEADER)[number], string>>;

/** One row: a valid commitment of contract `ref` unless `cells` say otherwise. */
export function importRow(world: ImportWorld, ref: string, cells: ImportCells = {}): ImportCells {
  return {
    contract_reference: ref,
    contract_title: 'Eastfield school extension',
    contract_description: 'A two-storey extension with six classrooms',
    supplier: world.supplier.name,
    contract_value: '£1,250,000.50',
    start_date: '2026-04-01',
    end_date: '31/03/2028',
    officer_email: world.officer.email,
    measure_code: world.jobs.code,
    target_quantity: '2.5',
    due_date: '2027-03-31',
    ward: world.ward.name,
    commitment_description: 'Local residents employed on site',
    ...cells,
  };
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV file (UTF-8, CRLF) of the given rows under the given header (all columns by default). */
export function csvBytes(rows: ImportCells[], header: readonly string[] = IMPORT_HEADER): Uint8Array {
  const lines = [header.join(','), ...rows.map((row) => header.map((c) => quote((row as Record<string, string>)[c] ?? '')).join(','))];
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}
