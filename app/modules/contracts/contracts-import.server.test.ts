import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { MAX_CSV_BYTES } from '~/utils/csv';
import { csvBytes, importRow, importWorld, reference, type ImportWorld } from '../../../tests/support/contracts-import-csv';
import { contractsImportTemplate } from './contracts-import-template.server';
import { IMPORT_HEADER } from './contracts-import.schema';
import { importContracts, type ImportResult } from './contracts-import.server';

const db = () => getDb();
let world: ImportWorld;
const actor = () => ({ userId: world.officer.id, organisationId: world.officer.organisationId, requestId: 'req-import' });
const run = (bytes: Uint8Array, name = 'contracts.csv') => importContracts(db(), { name, bytes }, actor());

beforeAll(async () => {
  world = await importWorld();
});

async function counts() {
  const n = async (table: 'contract' | 'commitment' | 'audit_event') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { contracts: await n('contract'), commitments: await n('commitment'), audit: await n('audit_event') };
}

/** The problems as [line, column, message] triples. */
function problemsOf(result: ImportResult) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map((p) => [p.line, p.column, p.message] as const);
}

describe('importContracts: a good file', () => {
  it('creates each contract with its commitments in pence and thousandths, copies the proxy value and audits it', async () => {
    const [a, b] = [reference('GOOD'), reference('GOOD')];
    const result = await run(csvBytes([
      importRow(world, a),
      importRow(world, a, { measure_code: world.volunteering.code.toLowerCase(), target_quantity: '1,040.125', due_date: '15/12/2026', ward: '', commitment_description: 'Staff volunteering, "reading buddies"' }),
      importRow(world, b, {
        contract_title: 'Library cleaning', contract_description: '', supplier: world.supplier.companyNumber.toLowerCase(),
        contract_value: '98000', start_date: '01/01/2026', end_date: '2026-12-31', officer_email: world.officer.email.toUpperCase(),
        due_date: '2027-12-31', target_quantity: '1',
      }),
    ]));
    expect(result).toMatchObject({ ok: true, contracts: 2, commitments: 3 });

    const contracts = await db().selectFrom('contract').selectAll().where('reference', 'in', [a, b]).orderBy('reference').execute();
    expect(contracts.map((c) => [c.reference, c.title, c.description, c.supplier_id, c.value_pence, c.start_date, c.end_date, c.officer_id, c.status])).toEqual([
      [a, 'Eastfield school extension', 'A two-storey extension with six classrooms', world.supplier.id, 125_000_050, '2026-04-01', '2028-03-31', world.officer.id, 'active'],
      [b, 'Library cleaning', '', world.supplier.id, 9_800_000, '2026-01-01', '2026-12-31', world.officer.id, 'active'],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));

    const commitments = await db()
      .selectFrom('commitment')
      .innerJoin('contract', 'contract.id', 'commitment.contract_id')
      .innerJoin('measure', 'measure.id', 'commitment.measure_id')
      .select(['contract.reference', 'measure.code', 'commitment.target_milli', 'commitment.proxy_value_pence', 'commitment.due_date', 'commitment.ward_id', 'commitment.description', 'commitment.delivered_milli'])
      .where('contract.reference', 'in', [a, b])
      .orderBy('commitment.due_date')
      .execute();
    expect(commitments).toEqual([
      { reference: a, code: world.volunteering.code, target_milli: 1_040_125, proxy_value_pence: 1_420, due_date: '2026-12-15', ward_id: null, description: 'Staff volunteering, "reading buddies"', delivered_milli: 0 },
      { reference: a, code: world.jobs.code, target_milli: 2_500, proxy_value_pence: 2_175_000, due_date: '2027-03-31', ward_id: world.ward.id, description: 'Local residents employed on site', delivered_milli: 0 },
      { reference: b, code: world.jobs.code, target_milli: 1_000, proxy_value_pence: 2_175_000, due_date: '2027-12-31', ward_id: world.ward.id, description: 'Local residents employed on site', delivered_milli: 0 },
    ]);

    const events = await db().selectFrom('audit_event').selectAll().where('request_id', '=', 'req-import').where('after_json', 'like', `%${a}%`).orderBy('id').execute();
    expect(events.map((e) => [e.action, e.actor_user_id])).toEqual([['contract.imported', world.officer.id], ['contracts.imported', world.officer.id]]);
    const summary = JSON.parse(events[1]!.after_json!);
    expect(summary).toMatchObject({ fileName: 'contracts.csv', contracts: 2, commitments: 3, references: [a, b] });
    const perContract = JSON.parse(events[0]!.after_json!);
    expect(perContract).toMatchObject({ importId: summary.importId ?? events[1]!.subject_id, reference: a, value_pence: 125_000_050 });
    expect(perContract.commitments).toHaveLength(2);
  });

  it('accepts a file without the optional columns, in any column order', async () => {
    const ref = reference('MIN');
    const header = [...IMPORT_HEADER].filter((c) => c !== 'ward' && c !== 'contract_description').reverse();
    expect(await run(csvBytes([importRow(world, ref)], header))).toMatchObject({ ok: true, contracts: 1, commitments: 1 });
    const contract = await db().selectFrom('contract').select(['description']).where('reference', '=', ref).executeTakeFirstOrThrow();
    expect(contract.description).toBe('');
  });

  it('imports a file once when two imports of it run at the same moment', async () => {
    const ref = reference('RACE');
    const file = csvBytes([importRow(world, ref), importRow(world, ref, { measure_code: world.volunteering.code })]);
    const results = await Promise.all([run(file), run(file)]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    const commitments = await db()
      .selectFrom('commitment').innerJoin('contract', 'contract.id', 'commitment.contract_id').select('commitment.id').where('contract.reference', '=', ref).execute();
    expect(commitments).toHaveLength(2);
  });

  it('imports its own template', async () => {
    const template = await contractsImportTemplate(db(), world.officer.email);
    const result = await run(new TextEncoder().encode(template), 'contracts-import-template.csv');
    expect(result).toMatchObject({ ok: true, contracts: 1, commitments: 2 });
  });
});

describe('importContracts: bad files', () => {
  it('reports every problem in a file of good and bad rows, by row and column, and imports nothing', async () => {
    const [good, bad, other] = [reference('MIX'), reference('MIX'), reference('MIX')];
    const before = await counts();
    const result = await run(csvBytes([
      importRow(world, good), // line 2: fine
      importRow(world, bad, { measure_code: 'NO-SUCH-MEASURE', target_quantity: '0' }), // line 3
      importRow(world, bad, { measure_code: world.retired.code, target_quantity: '1.2345', ward: 'Atlantis' }), // line 4
      importRow(world, bad, { due_date: '2026-03-31' }), // line 5: before the start
      importRow(world, bad, { due_date: '2029-04-01' }), // line 6: more than a year after the end
      importRow(world, bad, { due_date: '31/02/2027', commitment_description: '' }), // line 7
      importRow(world, other, { supplier: 'Nobody Ltd', officer_email: world.contractor.email, start_date: '2026-05-01', end_date: '2026-04-30', contract_value: 'lots' }), // line 8
      importRow(world, reference('MIX'), { supplier: world.pending.name, officer_email: 'ghost@example.org', contract_title: 'x'.repeat(201), contract_reference: 'bad ref!' }), // line 9
      importRow(world, good, { target_quantity: 'two' }), // line 10
    ]));
    expect(problemsOf(result)).toEqual([
      [3, 'measure_code', expect.stringMatching(/no measure with the code “NO-SUCH-MEASURE”/)],
      [3, 'target_quantity', 'Target quantity must be more than 0'],
      [4, 'measure_code', expect.stringMatching(/is retired/)],
      [4, 'target_quantity', 'Target quantity must have no more than 3 decimal places'],
      [4, 'ward', expect.stringMatching(/no ward called “Atlantis”/)],
      [5, 'due_date', 'Due date (31 Mar 2026) must be on or after the contract’s start date (1 Apr 2026)'],
      [6, 'due_date', 'Due date (1 Apr 2029) must be no more than a year after the contract’s end date, so by 31 Mar 2029'],
      [7, 'due_date', expect.stringMatching(/^Due date must be a real date/)],
      [7, 'commitment_description', 'Enter a description of what exactly will be done'],
      [8, 'supplier', expect.stringMatching(/no supplier organisation with the name or company number “Nobody Ltd”/)],
      [8, 'contract_value', 'Contract value must be an amount in pounds, like 1250000 or £1,250,000.00'],
      [8, 'end_date', 'End date (30 Apr 2026) must be on or after the start date (1 May 2026)'],
      [8, 'officer_email', expect.stringMatching(/is not a council officer or administrator/)],
      [9, 'contract_reference', expect.stringMatching(/^Contract reference must start with a letter or number/)],
      [9, 'contract_title', 'Contract title must be 200 characters or fewer (it has 201)'],
      [9, 'supplier', expect.stringMatching(/is not a verified supplier \(it is pending\)/)],
      [9, 'officer_email', expect.stringMatching(/no user with the email address “ghost@example.org”/)],
      [10, 'target_quantity', 'Target quantity must be a number, like 12 or 2.5'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('names missing, unknown and repeated columns on row 1', async () => {
    const header = IMPORT_HEADER.filter((c) => c !== 'due_date').map((c) => (c === 'measure_code' ? 'measure' : c));
    const result = await run(csvBytes([importRow(world, reference())], header));
    expect(problemsOf(result)).toEqual([
      [1, null, 'Missing columns: measure_code, due_date'],
      [1, null, 'Unknown column: measure'],
      [1, null, expect.stringMatching(/^The first row must name the columns: contract_reference, contract_title, supplier/)],
    ]);
  });

  it('refuses an empty file and a file with only the header row', async () => {
    expect(problemsOf(await run(new Uint8Array()))).toEqual([[null, null, 'The file is empty']]);
    expect(problemsOf(await run(csvBytes([])))).toEqual([[null, null, 'The file has a header row but no contracts. Add one row for each commitment']]);
  });

  it('refuses a file over the 2 MB limit', async () => {
    const bytes = new Uint8Array(MAX_CSV_BYTES + 1).fill(0x61);
    expect(problemsOf(await run(bytes))).toEqual([[null, null, 'The file must be smaller than 2 MB']]);
  });

  it('refuses bytes that are not UTF-8 (a Windows-1252 £ sign) and says how to save the file', async () => {
    const good = csvBytes([importRow(world, reference(), { contract_value: 'X1000' })]);
    const latin1 = Uint8Array.from(good, (byte) => (byte === 0x58 ? 0xa3 : byte)); // X → 0xA3, "£" in Windows-1252
    const [[line, column, message]] = problemsOf(await run(latin1)) as [readonly [number | null, string | null, string]];
    expect([line, column]).toEqual([null, null]);
    expect(message).toMatch(/must be saved as “CSV UTF-8”/);
  });

  it('refuses cells that a spreadsheet would run as formulas', async () => {
    const ref = reference('FORM');
    const result = await run(csvBytes([
      importRow(world, ref, { contract_title: '=HYPERLINK("http://evil.example","Click")' }),
      importRow(world, ref, { contract_title: '=HYPERLINK("http://evil.example","Click")', commitment_description: '@SUM(1+1)*cmd|\' /C calc\'!A0' }),
      importRow(world, ref, { contract_title: '=HYPERLINK("http://evil.example","Click")', ward: '+Abbey', target_quantity: '-2' }),
    ]));
    expect(problemsOf(result)).toEqual([
      [2, 'contract_title', 'Contract title must not start with =, +, - or @ (a spreadsheet would run it as a formula). Remove the formula or the leading character'],
      [3, 'contract_title', expect.stringMatching(/formula/)],
      [3, 'commitment_description', expect.stringMatching(/^Commitment description must not start with =, \+, - or @/)],
      [4, 'contract_title', expect.stringMatching(/formula/)],
      [4, 'target_quantity', 'Target quantity must not be negative'],
      [4, 'ward', expect.stringMatching(/^Ward must not start with/)],
    ]);
  });

  it('reports a contract field that differs between the rows of one contract, on the row and column that differ', async () => {
    const ref = reference('AGREE');
    const result = await run(csvBytes([
      importRow(world, ref),
      // The same supplier by company number, the same value and date written differently: these agree.
      importRow(world, ref, { supplier: world.supplier.companyNumber, contract_value: '1250000.5', end_date: '2028-03-31' }),
      importRow(world, ref, { contract_title: 'Eastfield school extension phase 2', contract_value: '1250000', start_date: '2026-04-02' }),
      importRow(world, ref.toLowerCase(), { officer_email: world.contractor.email }),
    ]));
    expect(problemsOf(result)).toEqual([
      [4, 'contract_title', `Contract title “Eastfield school extension phase 2” differs from row 2 (“Eastfield school extension”). Every row of contract ${ref} must give the same contract title`],
      [4, 'contract_value', expect.stringMatching(/^Contract value “£1250000.00” differs from row 2 \(“£1250000.50”\)/)],
      [4, 'start_date', expect.stringMatching(/^Start date “2 Apr 2026” differs from row 2 \(“1 Apr 2026”\)/)],
      [5, 'contract_reference', expect.stringMatching(new RegExp(`^Contract reference “${ref.toLowerCase()}” differs from row 2`))],
      [5, 'officer_email', expect.stringMatching(/is not a council officer or administrator/)],
    ]);
    expect(await db().selectFrom('contract').select('id').where('reference', '=', ref).executeTakeFirst()).toBeUndefined();
  });

  it('imports a file once: sent again, it is refused on the existing references and nothing is half-written', async () => {
    const [a, b] = [reference('TWICE'), reference('TWICE')];
    const file = csvBytes([importRow(world, a), importRow(world, a, { measure_code: world.volunteering.code }), importRow(world, b)]);
    expect(await run(file)).toMatchObject({ ok: true, contracts: 2, commitments: 3 });
    const after = await counts();
    const again = await run(file);
    expect(problemsOf(again)).toEqual([
      [2, 'contract_reference', `A contract with the reference ${a} is already in the portal. The import only creates new contracts: remove this contract’s rows, or change the existing contract on its page`],
      [4, 'contract_reference', expect.stringContaining(`reference ${b} is already in the portal`)],
    ]);
    // A file with one new contract and one existing one writes neither.
    const mixed = await run(csvBytes([importRow(world, reference('TWICE')), importRow(world, b.toLowerCase())]));
    expect(problemsOf(mixed)).toEqual([[3, 'contract_reference', expect.stringContaining(`reference ${b} is already in the portal`)]]);
    expect(await counts()).toEqual(after);
  });

  it('lists at most 500 problems but counts them all', async () => {
    const rows = Array.from({ length: 300 }, () => importRow(world, reference('MANY'), { measure_code: 'NOPE', ward: 'Nowhere' }));
    const result = await run(csvBytes(rows));
    expect(result).toMatchObject({ ok: false, totalProblems: 600 });
    expect(!result.ok && result.problems).toHaveLength(500);
  });
});
