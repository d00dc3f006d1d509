import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { FILE_TOO_BIG } from '~/utils/csv';
import { importedMessage } from '~/modules/contracts/contracts-import.schema';
import { findContractsImport } from '~/modules/contracts/contracts-import.server';
import { MAX_CSV_BYTES } from '~/utils/csv';
import { csvBytes, importRow, importWorld, reference, type ImportWorld } from '../../tests/support/contracts-import-csv';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { action, loader } from './contracts.import';
import { loader as templateLoader } from './contracts.import-template[.]csv';

const URL = 'http://localhost:3000/contracts/import';
let world: ImportWorld;
let officerCookie: string;

beforeAll(async () => {
  world = await importWorld();
  officerCookie = await cookieFor(world.officer.id);
});

function upload(cookie: string | undefined, bytes: Uint8Array | null, { name = 'contracts.csv', headers = {} }: { name?: string; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  if (bytes) form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'text/csv' }));
  return new Request(URL, { method: 'POST', body: form, headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
}

interface Failure {
  status: string;
  fileName: string | null;
  problems: Array<{ line: number | null; column: string | null; message: string }>;
  totalProblems: number;
}

const contractCount = async () =>
  Number((await getDb().selectFrom('contract').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('/contracts/import: who may use it', () => {
  it('lets officers and administrators in', async () => {
    const admin = await makeUser('admin');
    for (const cookie of [officerCookie, await cookieFor(admin.id)]) {
      expect((await run(loader, makeRequest('/contracts/import', { cookie }))).status).toBe(200);
    }
    const adminImport = await run(action, upload(await cookieFor(admin.id), csvBytes([importRow(world, reference('ADM'))])));
    expect(adminImport.status).toBe(303);
  });

  it('refuses contractors and VCSE users with 403, and sends anonymous visitors to sign in, before reading the file', async () => {
    const before = await contractCount();
    for (const role of ['contractor', 'vcse'] as const) {
      const cookie = await cookieFor((await makeUser(role)).id);
      expect((await run(loader, makeRequest('/contracts/import', { cookie }))).status).toBe(403);
      expect((await run(action, upload(cookie, csvBytes([importRow(world, reference())])))).status).toBe(403);
      expect((await run(templateLoader, makeRequest('/contracts/import-template.csv', { cookie }))).status).toBe(403);
    }
    const anonymous = await run(action, upload(undefined, csvBytes([importRow(world, reference())])));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe('/sign-in?redirectTo=%2Fcontracts%2Fimport');
    expect((await run(loader, makeRequest('/contracts/import'))).location).toMatch(/^\/sign-in/);
    expect(await contractCount()).toBe(before);
  });
});

describe('/contracts/import: uploading', () => {
  it('imports a good file and redirects to the contracts list, which finds the counts for its banner', async () => {
    const [a, b] = [reference('RT'), reference('RT')];
    const result = await run(action, upload(officerCookie, csvBytes([importRow(world, a), importRow(world, a, { measure_code: world.volunteering.code }), importRow(world, b)])));
    expect(result.status).toBe(303);
    const importId = new URLSearchParams(result.location!.split('?')[1]).get('imported')!;
    expect(result.location).toBe(`/contracts?imported=${importId}`);
    const summary = await findContractsImport(getDb(), importId);
    expect(summary).toEqual({ contracts: 2, commitments: 3 });
    expect(importedMessage(summary!)).toBe('Imported 2 contracts with 3 commitments');
    expect(importedMessage({ contracts: 1, commitments: 1 })).toBe('Imported 1 contract with 1 commitment');
    expect(await findContractsImport(getDb(), 'not-an-import')).toBeNull();
    const rows = await getDb().selectFrom('contract').select(['reference', 'officer_id']).where('reference', 'in', [a, b]).execute();
    expect(rows).toHaveLength(2);
  });

  it('answers 400 with every problem by row and column, and imports nothing', async () => {
    const before = await contractCount();
    const ref = reference('RT');
    const result = await run(action, upload(officerCookie, csvBytes([importRow(world, ref), importRow(world, ref, { measure_code: 'NOPE', due_date: 'soon' })]), { name: 'mine.csv' }));
    expect(result.status).toBe(400);
    const failure = result.data as Failure;
    expect(failure).toMatchObject({ status: 'error', fileName: 'mine.csv', totalProblems: 2 });
    expect(failure.problems.map((p) => [p.line, p.column])).toEqual([[3, 'measure_code'], [3, 'due_date']]);
    expect(await contractCount()).toBe(before);
  });

  it('imports the same file once when it is sent twice', async () => {
    const ref = reference('DOUBLE');
    const bytes = csvBytes([importRow(world, ref), importRow(world, ref, { measure_code: world.volunteering.code })]);
    const [first, second] = [await run(action, upload(officerCookie, bytes)), await run(action, upload(officerCookie, bytes))];
    expect(first.status).toBe(303);
    expect(second.status).toBe(400);
    expect((second.data as Failure).problems).toEqual([{ line: 2, column: 'contract_reference', message: expect.stringContaining(`${ref} is already in the portal. The import only creates new contracts`) }]);
    const commitments = await getDb()
      .selectFrom('commitment').innerJoin('contract', 'contract.id', 'commitment.contract_id').select('commitment.id').where('contract.reference', '=', ref).execute();
    expect(commitments).toHaveLength(2);
  });

  it('asks for a file when none is chosen, or when the form was not a file upload', async () => {
    const none = await run(action, upload(officerCookie, null));
    expect(none.status).toBe(400);
    expect((none.data as Failure).problems).toEqual([{ line: null, column: null, message: 'Select a CSV file' }]);
    const plain = await run(action, makeRequest('/contracts/import', { method: 'POST', cookie: officerCookie, form: { file: 'x' } }));
    expect(plain.status).toBe(400);
  });

  it('refuses a spreadsheet that is not CSV, and an empty file', async () => {
    const xlsx = await run(action, upload(officerCookie, new Uint8Array([0x50, 0x4b, 3, 4]), { name: 'contracts.xlsx' }));
    expect((xlsx.data as Failure).problems[0]?.message).toMatch(/must be a CSV/);
    const empty = await run(action, upload(officerCookie, new Uint8Array(), { name: 'empty.csv' }));
    expect(empty.status).toBe(400);
    expect((empty.data as Failure).problems[0]?.message).toBe('The file is empty');
  });

  it('refuses a file over 2 MB with 413, whether its size is declared up front or found while reading', async () => {
    const huge = new Uint8Array(MAX_CSV_BYTES + 1).fill(0x61);
    const streamed = await run(action, upload(officerCookie, huge));
    expect(streamed.status).toBe(413);
    expect((streamed.data as Failure).problems).toEqual([{ line: null, column: null, message: FILE_TOO_BIG }]);
    expect(FILE_TOO_BIG).toMatch(/smaller than 2 MB/);
    // Declared too big: refused from the Content-Length header, without reading the body.
    const declared = await run(action, upload(officerCookie, csvBytes([importRow(world, reference())]), { headers: { 'Content-Length': String(10 * MAX_CSV_BYTES) } }));
    expect(declared.status).toBe(413);
  });

  it('reports bytes that are not UTF-8', async () => {
    const latin1 = Uint8Array.from(csvBytes([importRow(world, reference(), { contract_value: 'X5000' })]), (b) => (b === 0x58 ? 0xa3 : b));
    const result = await run(action, upload(officerCookie, latin1));
    expect(result.status).toBe(400);
    expect((result.data as Failure).problems[0]?.message).toMatch(/CSV UTF-8/);
  });
});

describe('/contracts/import-template.csv', () => {
  it('downloads the columns with example rows as a UTF-8 CSV attachment', async () => {
    const response = await templateLoader({ request: makeRequest('/contracts/import-template.csv', { cookie: officerCookie }), params: {}, context: {} as never });
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toContain('contracts-import-template.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a byte-order mark, so Excel reads it as UTF-8
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('contract_reference,contract_title,contract_description,supplier,contract_value,start_date,end_date,officer_email,measure_code,target_quantity,due_date,ward,commitment_description');
    expect(text).toContain(world.officer.email);
  });
});
