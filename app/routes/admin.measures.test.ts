import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { Role } from '#db/schema';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { FILE_TOO_BIG } from '~/modules/measures/measures-csv.server';
import { findMeasureByCode } from '~/modules/measures/measures.server';
import { MAX_CSV_BYTES } from '~/utils/csv';
import * as list from './admin.measures._index';
import * as edit from './admin.measures.$measureId';
import * as importPage from './admin.measures.import';
import * as create from './admin.measures.new';
import * as exportCsv from './admin.measures[.]csv';
import * as template from './admin.measures.template[.]csv';

const cookies = {} as Record<Role, string>;
beforeAll(async () => {
  for (const role of ['admin', 'officer', 'contractor', 'vcse'] as const) cookies[role] = await cookieFor((await makeUser(role)).id);
});

const HEADER = 'code,theme,outcome,title,unit,proxy_value,framework_year,active';
const fields = (overrides: Record<string, string> = {}) => ({
  code: 'R-1', theme: 'Jobs', outcome: 'More local people in work', title: 'Local people employed', unit: 'FTE',
  proxy_value: '£21,750.00', framework_year: '2026', ...overrides,
});

function upload(content: BlobPart, { name = 'measures.csv', cookie = cookies.admin }: { name?: string; cookie?: string } = {}) {
  const form = new FormData();
  form.append('file', new File([content], name, { type: 'text/csv' }));
  return new Request('http://localhost:3000/admin/measures/import', { method: 'POST', body: form, headers: { Cookie: cookie } });
}

type ImportError = { status: 'error'; problems: Array<{ line: number | null; column: string | null; message: string }>; totalProblems: number };

describe('who may use the measures pages', () => {
  const guarded: Array<[string, LoaderFunction | ActionFunction, string, string]> = [
    ['list', list.loader, 'GET', '/admin/measures'],
    ['new (page)', create.loader, 'GET', '/admin/measures/new'],
    ['new (save)', create.action, 'POST', '/admin/measures/new'],
    ['edit (page)', edit.loader, 'GET', '/admin/measures/x'],
    ['edit (save)', edit.action, 'POST', '/admin/measures/x'],
    ['import (page)', importPage.loader, 'GET', '/admin/measures/import'],
    ['import (upload)', importPage.action, 'POST', '/admin/measures/import'],
    ['export', exportCsv.loader, 'GET', '/admin/measures.csv'],
    ['template', template.loader, 'GET', '/admin/measures/template.csv'],
  ];

  it.each(guarded)('%s: officers, contractors and VCSE users get 403; anonymous visitors are sent to sign in', async (_name, fn, method, path) => {
    for (const role of ['officer', 'contractor', 'vcse'] as const) {
      expect((await run(fn, makeRequest(path, { method, cookie: cookies[role], form: method === 'POST' ? fields() : undefined }), { measureId: 'x' })).status).toBe(403);
    }
    const anonymous = await run(fn, makeRequest(path, { method, form: method === 'POST' ? fields() : undefined }), { measureId: 'x' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/sign-in\?redirectTo=/);
  });

  it('a non-admin upload writes nothing', async () => {
    const outcome = await run(importPage.action, upload(`${HEADER}\nSNEAK-1,Jobs,o,t,FTE,1,2026,yes\n`, { cookie: cookies.officer }));
    expect(outcome.status).toBe(403);
    expect(await findMeasureByCode(getDb(), 'SNEAK-1')).toBeUndefined();
  });
});

describe('add and edit', () => {
  it('adds a measure, then refuses the same code in other capitals next to the code field, keeping what was typed', async () => {
    const added = await run(create.action, makeRequest('/admin/measures/new', { method: 'POST', cookie: cookies.admin, form: fields({ code: 'ROUTE-1' }) }));
    expect(added.status).toBe(303);
    const measure = (await findMeasureByCode(getDb(), 'ROUTE-1'))!;
    expect(added.location).toBe(`/admin/measures?added=${measure.id}`);
    expect(measure.proxy_value_pence).toBe(2_175_000);

    const again = await run(create.action, makeRequest('/admin/measures/new', { method: 'POST', cookie: cookies.admin, form: fields({ code: 'route-1', title: 'Typed title' }) }));
    expect(again.status).toBe(400);
    expect(again.data).toMatchObject({ status: 'error', error: { code: [expect.stringContaining('already used')] }, initialValue: { title: 'Typed title' } });

    const page = await run(list.loader, makeRequest(`/admin/measures?added=${measure.id}`, { cookie: cookies.admin }));
    expect(page.data).toMatchObject({ banner: 'Measure ROUTE-1 added' });
  });

  it('shows bad input next to each field', async () => {
    const outcome = await run(create.action, makeRequest('/admin/measures/new', { method: 'POST', cookie: cookies.admin, form: fields({ proxy_value: 'lots', framework_year: '1850', theme: '' }) }));
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ error: { proxy_value: [expect.any(String)], framework_year: [expect.any(String)], theme: ['Enter a theme'] } });
  });

  it('saves an edit with the current version, refuses a stale one, and retires and reactivates', async () => {
    await run(create.action, makeRequest('/admin/measures/new', { method: 'POST', cookie: cookies.admin, form: fields({ code: 'ROUTE-2' }) }));
    const measure = (await findMeasureByCode(getDb(), 'ROUTE-2'))!;
    const path = `/admin/measures/${measure.id}`;
    const params = { measureId: measure.id };

    const page = await run(edit.loader, makeRequest(path, { cookie: cookies.admin }), params);
    expect(page.data).toMatchObject({ measure: { code: 'ROUTE-2', proxyValue: '21750.00', version: measure.updated_at }, commitments: 0 });

    const saved = await run(edit.action, makeRequest(path, { method: 'POST', cookie: cookies.admin, form: { ...fields({ code: 'ROUTE-2', unit: 'jobs' }), intent: 'save', version: measure.updated_at } }), params);
    expect(saved).toMatchObject({ status: 303, location: `/admin/measures?saved=${measure.id}` });

    const stale = await run(edit.action, makeRequest(path, { method: 'POST', cookie: cookies.admin, form: { ...fields({ code: 'ROUTE-2', unit: 'people' }), intent: 'save', version: measure.updated_at } }), params);
    expect(stale.status).toBe(409);
    expect((await findMeasureByCode(getDb(), 'ROUTE-2'))!.unit).toBe('jobs');

    const current = (await findMeasureByCode(getDb(), 'ROUTE-2'))!.updated_at;
    const retired = await run(edit.action, makeRequest(path, { method: 'POST', cookie: cookies.admin, form: { intent: 'retire', version: current } }), params);
    expect(retired).toMatchObject({ status: 303, location: `${path}?done=retired` });
    expect((await findMeasureByCode(getDb(), 'ROUTE-2'))!.active).toBe(0);
    const twice = await run(edit.action, makeRequest(path, { method: 'POST', cookie: cookies.admin, form: { intent: 'retire', version: current } }), params);
    expect(twice.status).toBe(409);

    const retiredList = await run(list.loader, makeRequest('/admin/measures?status=retired&q=ROUTE-2', { cookie: cookies.admin }));
    expect(retiredList.data).toMatchObject({ total: 1, measures: [{ code: 'ROUTE-2', active: false }] });
  });

  it('answers 404 for an unknown measure', async () => {
    expect((await run(edit.loader, makeRequest('/admin/measures/nope', { cookie: cookies.admin }), { measureId: 'nope' })).status).toBe(404);
  });
});

describe('import', () => {
  it('imports a good file and redirects with the counts', async () => {
    const outcome = await run(importPage.action, upload(`${HEADER}\nUP-1,Skills,Skills for work,Apprenticeship weeks,weeks,310,2026,yes\nUP-2,Skills,Skills for work,Placement weeks,weeks,145.50,2026,no\n`));
    expect(outcome).toMatchObject({ status: 303, location: '/admin/measures?imported=1&created=2&updated=0&unchanged=0' });
    expect(await findMeasureByCode(getDb(), 'UP-2')).toMatchObject({ proxy_value_pence: 14550, active: 0 });
  });

  it('lists each problem of a bad file by line and column, with status 400, and imports nothing', async () => {
    const outcome = await run(importPage.action, upload(`${HEADER}\nBAD-1,Jobs,o,t,FTE,1,2026,yes\nBAD-2,Jobs,o,=HYPERLINK("x"),FTE,abc,2026,yes\n`));
    expect(outcome.status).toBe(400);
    const data = outcome.data as ImportError;
    expect(data.status).toBe('error');
    expect(data.problems.map((p) => [p.line, p.column])).toEqual([[3, 'title'], [3, 'proxy_value']]);
    expect(await findMeasureByCode(getDb(), 'BAD-1')).toBeUndefined();
  });

  it('refuses a file over 2 MB before parsing it, saying what the limit is', async () => {
    for (const size of [MAX_CSV_BYTES + 1, 3 * MAX_CSV_BYTES]) {
      const outcome = await run(importPage.action, upload(new Uint8Array(size).fill(0x41)));
      expect(outcome.status).toBe(400);
      expect((outcome.data as ImportError).problems).toEqual([{ line: null, column: null, message: FILE_TOO_BIG }]);
    }
    expect(FILE_TOO_BIG).toMatch(/2 MB/);
  });

  it('asks for a file when none is chosen, or when it is not a CSV, or the form is not an upload', async () => {
    const message = async (request: Request) => (((await run(importPage.action, request)).data as ImportError).problems[0]?.message);
    expect(await message(upload('', { name: '' }))).toBe('Select a CSV file');
    expect(await message(upload(`${HEADER}\n`, { name: 'measures.xlsx' }))).toMatch(/must be a CSV/);
    expect(await message(upload('', { name: 'empty.csv' }))).toBe('The file is empty');
    expect(await message(makeRequest('/admin/measures/import', { method: 'POST', cookie: cookies.admin, form: { file: 'x' } }))).toBe('Select a CSV file');
  });

  it('refuses wrong headers with status 400, naming the problem', async () => {
    const outcome = await run(importPage.action, upload('reference,name\nA,B\n'));
    expect(outcome.status).toBe(400);
    expect((outcome.data as ImportError).problems[0]).toEqual({ line: 1, column: null, message: expect.stringMatching(/^Missing columns: code, theme/) });
  });

  it('refuses non-UTF-8 bytes with a clear message', async () => {
    const outcome = await run(importPage.action, upload(new Uint8Array([...new TextEncoder().encode(`${HEADER}\nX-1,Jobs,o,Caf`), 0xe9, 0x0a])));
    expect(outcome.status).toBe(400);
    expect((outcome.data as ImportError).problems[0]?.message).toMatch(/CSV UTF-8/);
  });
});

describe('export', () => {
  it('downloads the framework as a dated CSV attachment that imports back with no changes', async () => {
    const outcome = await run(exportCsv.loader, makeRequest('/admin/measures.csv', { cookie: cookies.admin }));
    expect(outcome.status).toBe(200);
    expect(outcome.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(outcome.headers.get('Content-Disposition')).toMatch(/^attachment; filename="measures-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = outcome.data as string;
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(HEADER);

    const again = await run(importPage.action, upload(text, { name: 'measures-export.csv' }));
    expect(again.status).toBe(303);
    expect(again.location).toMatch(/created=0&updated=0&unchanged=\d+$/);
  });

  it('offers a template to download', async () => {
    const outcome = await run(template.loader, makeRequest('/admin/measures/template.csv', { cookie: cookies.admin }));
    expect(outcome.headers.get('Content-Disposition')).toBe('attachment; filename="measures-template.csv"');
    expect((outcome.data as string).replace(/^\uFEFF/, '').startsWith(`${HEADER}\r\n`)).toBe(true);
  });
});
