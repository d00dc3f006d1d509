import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { MAX_CSV_BYTES, MAX_CSV_ROWS, parseCsv } from '~/utils/csv';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import { makeCommitment, makeContract, makeMeasure } from '../../../tests/support/factories';
import { FILE_TOO_BIG, MAX_REPORTED_PROBLEMS, exportMeasuresCsv, importMeasuresCsv, measuresCsvTemplate } from './measures-csv.server';
import { findMeasureByCode } from './measures.server';

const db = () => getDb();
const actor = { userId: null, organisationId: null, requestId: 'req-csv' };
const HEADER = 'code,theme,outcome,title,unit,proxy_value,framework_year,active';
const bytes = (text: string) => new TextEncoder().encode(text);
const csv = (...lines: string[]) => bytes(`${lines.join('\r\n')}\r\n`);

async function measureCount() {
  return (await db().selectFrom('measure').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
}
async function auditCount() {
  return (await db().selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
}

/** Imports, expecting a refusal; checks nothing at all was written. */
async function refused(file: Uint8Array) {
  const [measures, events] = [await measureCount(), await auditCount()];
  const result = await importMeasuresCsv(db(), file, actor);
  if (result.ok) throw new Error('expected the import to be refused');
  expect(await measureCount()).toBe(measures);
  expect(await auditCount()).toBe(events);
  return result;
}

describe('importMeasuresCsv: refusals (nothing is written)', () => {
  it('lists every problem in a file of mixed good and bad rows by line and column, and imports none of it', async () => {
    const result = await refused(csv(
      HEADER,
      'MIX-01,Jobs,Local jobs,Local people employed,FTE,"£21,750.00",2026,yes',
      'MIX-02,Jobs,Local jobs,,FTE,12.345,1999,maybe',
      'MIX-03,Skills,Skills,"Apprentice weeks",weeks,310,2026',
      'mix-01,Skills,Skills,Duplicate code,weeks,1,2026,no',
      'MIX 04,Growth,Growth,Spend,£ spend,0.18,2026,1,extra',
      'MIX-05,Growth,Growth,=HYPERLINK("http://evil.example"),£ spend,-1,2026,0',
    ));
    expect(result.problems).toEqual([
      { line: 3, column: 'title', message: 'Enter a title' },
      { line: 3, column: 'proxy_value', message: expect.stringMatching(/amount in pounds/) },
      { line: 3, column: 'framework_year', message: expect.stringMatching(/from 2000 to 2100/) },
      { line: 3, column: 'active', message: expect.stringMatching(/yes or no/) },
      { line: 5, column: 'code', message: 'Code mix-01 is also on line 2. Each code may appear only once in a file' },
      { line: 6, column: null, message: expect.stringMatching(/9 cells but the header names 8 columns/) },
      { line: 6, column: 'code', message: expect.stringMatching(/no spaces/) },
      { line: 7, column: 'title', message: expect.stringMatching(/must not start with =, \+, - or @/) },
      { line: 7, column: 'proxy_value', message: expect.stringMatching(/must not start with =, \+, - or @/) },
    ]);
    expect(result.totalProblems).toBe(9);
    expect(await findMeasureByCode(db(), 'MIX-01')).toBeUndefined();
  });

  it('refuses wrong headers, naming what is missing and unknown', async () => {
    const result = await refused(csv('code,theme,outcome,name,unit,proxy,framework_year', 'W-1,Jobs,o,t,FTE,1,2026'));
    expect(result.problems.map((p) => p.message)).toEqual([
      'Missing columns: title, proxy_value',
      'Unknown columns: name, proxy',
      expect.stringMatching(/^The first row must name the columns: code, theme, outcome, title, unit, proxy_value, framework_year/),
    ]);
    expect(result.problems.every((p) => p.line === 1)).toBe(true);
  });

  it('refuses an empty file and a file with only the header row', async () => {
    expect((await refused(new Uint8Array())).problems).toEqual([{ line: null, column: null, message: 'The file is empty' }]);
    expect((await refused(csv(HEADER))).problems).toEqual([{ line: null, column: null, message: 'The file has a header row but no measures' }]);
  });

  it('refuses a file over 2 MB, saying what the limit is', async () => {
    const row = 'BIG-0000,Jobs,An outcome,A title that takes up some room in the file,FTE,1.00,2026,yes\r\n';
    const big = bytes(`${HEADER}\r\n${row.repeat(Math.ceil(MAX_CSV_BYTES / row.length) + 1)}`);
    expect(big.byteLength).toBeGreaterThan(MAX_CSV_BYTES);
    const result = await refused(big);
    expect(result.problems).toEqual([{ line: null, column: null, message: FILE_TOO_BIG }]);
    expect(FILE_TOO_BIG).toMatch(/smaller than 2 MB/);
  });

  it(`refuses more than ${MAX_CSV_ROWS} rows`, async () => {
    const rows = Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => `R-${i},Jobs,o,t,FTE,1,2026`);
    const result = await refused(csv(HEADER.replace(',active', ''), ...rows));
    expect(result.problems[0]?.message).toBe(`The file has ${MAX_CSV_ROWS + 1} rows; import at most ${MAX_CSV_ROWS} at a time`);
  });

  it('refuses formula-looking cells in any column', async () => {
    const result = await refused(csv(
      HEADER,
      'F-1,=1+1,o,t,FTE,1,2026,yes',
      'F-2,Jobs,@SUM(A1),t,FTE,1,2026,yes',
      'F-3,Jobs,o,+cmd,FTE,1,2026,yes',
      'F-4,Jobs,o,t,"\tFTE",1,2026,yes',
      'F-5,Jobs,o,t,FTE,1,2026,=TRUE()',
      '=HYPERLINK("x"),Jobs,o,t,FTE,1,2026,yes',
    ));
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'theme'], [3, 'outcome'], [4, 'title'], [5, 'unit'], [6, 'active'], [7, 'code'],
    ]);
    for (const p of result.problems) expect(p.message).toMatch(/formula/);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const latin1 = new Uint8Array([...bytes(`${HEADER}\nCAF-1,Jobs,o,Caf`), 0xe9, ...bytes(',FTE,1,2026,yes\n')]);
    const result = await refused(latin1);
    expect(result.problems[0]?.message).toMatch(/CSV UTF-8/);
  });

  it(`lists the first ${MAX_REPORTED_PROBLEMS} problems of a very bad file and counts them all`, async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `BAD-${i},Jobs,o,t,FTE,abc,1999`);
    const result = await refused(csv(HEADER.replace(',active', ''), ...rows));
    expect(result.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(result.totalProblems).toBe(600);
  });

  it('refuses a new unit for a measure that commitments use, on that row and column, with the other problems', async () => {
    const measure = await makeMeasure({ code: 'INUSE-1', unit: 'FTE' });
    const contract = await makeContract();
    await makeCommitment(contract.id, measure.id);
    await makeCommitment(contract.id, measure.id);
    const result = await refused(csv(
      HEADER,
      'inuse-1,Jobs,Local jobs,Local people employed,hours,100,2026,yes',
      'INUSE-NEW,Jobs,Local jobs,Local people employed,FTE,abc,2026,yes',
    ));
    expect(result.problems).toEqual([
      { line: 2, column: 'unit', message: 'This measure is used by 2 commitments, so its unit cannot change. Retire it and add a new measure instead.' },
      { line: 3, column: 'proxy_value', message: expect.stringMatching(/amount in pounds/) },
    ]);
    expect(await findMeasureByCode(db(), 'INUSE-1')).toMatchObject({ unit: 'FTE', proxy_value_pence: 1_000_000 });
  });

  it('reports a quoting mistake with its line', async () => {
    const result = await refused(csv(HEADER, 'Q-1,Jobs,o,"unclosed,FTE,1,2026,yes'));
    expect(result.problems[0]?.message).toBe('Line 2: a quoted cell is never closed');
  });
});

describe('importMeasuresCsv: a good file', () => {
  it('adds new measures, updates existing ones by code, and audits it all', async () => {
    const first = await importMeasuresCsv(db(), csv(
      '\uFEFFCode,Theme,Outcome,Title,Unit,Proxy_Value,Framework_Year',
      'GOOD-1,Environment,Lower carbon,Tonnes avoided,tonnes CO2e,"£1,245.50",2026',
      'GOOD-2,environment,Cleaner air,"Zero-emission miles, fleet",miles,0.09,2026',
    ), actor);
    expect(first).toEqual({ ok: true, rows: 2, created: 2, updated: 0, unchanged: 0 });
    const good1 = (await findMeasureByCode(db(), 'good-1'))!;
    expect(good1).toMatchObject({ code: 'GOOD-1', proxy_value_pence: 124550, active: 1, is_demo: 0, theme: 'Environment' });
    expect((await findMeasureByCode(db(), 'GOOD-2'))).toMatchObject({ title: 'Zero-emission miles, fleet', proxy_value_pence: 9, theme: 'Environment' });

    const second = await importMeasuresCsv(db(), csv(
      HEADER,
      'good-1,Environment,Lower carbon,Tonnes of CO2e avoided,tonnes CO2e,1300,2027,no',
      'GOOD-2,Environment,Cleaner air,"Zero-emission miles, fleet",miles,0.09,2026,TRUE',
      'GOOD-3,Skills,Skills for work,Apprenticeship weeks,weeks,310,2026,',
    ), actor);
    expect(second).toEqual({ ok: true, rows: 3, created: 1, updated: 1, unchanged: 1 });
    expect(await findMeasureByCode(db(), 'GOOD-1')).toMatchObject({
      id: good1.id, code: 'good-1', title: 'Tonnes of CO2e avoided', proxy_value_pence: 130000, framework_year: 2027, active: 0,
    });

    const events = await db().selectFrom('audit_event').selectAll().where('request_id', '=', 'req-csv').orderBy('id').execute();
    const updated = events.find((e) => e.action === 'measure.updated' && e.subject_id === good1.id)!;
    expect(JSON.parse(updated.before_json!)).toMatchObject({ title: 'Tonnes avoided', proxy_value_pence: 124550, active: true });
    expect(JSON.parse(updated.after_json!)).toMatchObject({ title: 'Tonnes of CO2e avoided', proxy_value_pence: 130000, active: false, source: 'csv import' });
    const imports = events.filter((e) => e.action === 'measure.imported').map((e) => JSON.parse(e.after_json!));
    expect(imports).toEqual([
      { rows: 2, created: 2, updated: 0, unchanged: 0 },
      { rows: 3, created: 1, updated: 1, unchanged: 1 },
    ]);
    expect(events.filter((e) => e.action === 'measure.created')).toHaveLength(3);
  });

  it('corrects the title, theme, outcome and proxy value of a measure that commitments use, keeping its unit', async () => {
    const measure = await makeMeasure({ code: 'INUSE-2', unit: 'FTE' });
    await makeCommitment((await makeContract()).id, measure.id);
    const result = await importMeasuresCsv(db(), csv(HEADER, 'INUSE-2,Skills,Corrected outcome,Corrected title,FTE,12.34,2027,no'), actor);
    expect(result).toEqual({ ok: true, rows: 1, created: 0, updated: 1, unchanged: 0 });
    expect(await findMeasureByCode(db(), 'INUSE-2')).toMatchObject({
      id: measure.id, unit: 'FTE', theme: 'Skills', outcome: 'Corrected outcome', title: 'Corrected title', proxy_value_pence: 1234, active: 0,
    });
  });

  it('re-imports its own export with no changes', async () => {
    // A stored title that looks like a formula (written before the rule, or by hand) is neutralised on export.
    const now = nowIso();
    await db().insertInto('measure').values({
      id: newId(), code: 'LEGACY-1', theme: 'Jobs', outcome: 'o', title: '-5 days lost to sickness', unit: 'days',
      proxy_value_pence: 1, framework_year: 2026, created_at: now, updated_at: now,
    }).execute();
    await importMeasuresCsv(db(), csv(HEADER, 'RT-1,Jobs,"Quotes ""and"" commas, too",Title,FTE,"£21,750.00",2026,no'), actor);

    const exported = await exportMeasuresCsv(db());
    expect(exported).toContain("LEGACY-1,Jobs,o,'-5 days lost to sickness,days,0.01,2026,yes");
    await db().deleteFrom('measure').where('code', '=', 'LEGACY-1').execute();
    const withoutLegacy = exported.split('\r\n').filter((l) => !l.startsWith('LEGACY-1')).join('\r\n');

    const count = await measureCount();
    const result = await importMeasuresCsv(db(), bytes(withoutLegacy), actor);
    expect(result).toEqual({ ok: true, rows: count, created: 0, updated: 0, unchanged: count });
  });
});

describe('exportMeasuresCsv', () => {
  it('writes the import’s columns, pounds, yes/no, and neutralises formula-looking cells', async () => {
    const now = nowIso();
    await db().insertInto('measure').values({
      id: newId(), code: 'EXP-1', theme: 'Jobs', outcome: '@risk', title: '=HYPERLINK("http://evil.example","x")', unit: '+FTE',
      proxy_value_pence: 123456, framework_year: 2026, active: 0, created_at: now, updated_at: now,
    }).execute();
    const text = await exportMeasuresCsv(db());
    expect(text.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    const line = text.split('\r\n').find((l) => l.startsWith('EXP-1,'));
    expect(line).toBe('EXP-1,Jobs,\'@risk,"\'=HYPERLINK(""http://evil.example"",""x"")",\'+FTE,1234.56,2026,no');
    await db().deleteFrom('measure').where('code', '=', 'EXP-1').execute();
  });

  it('offers a template that parses with the right header', () => {
    const parsed = parseCsv(bytes(measuresCsvTemplate()));
    expect(parsed.ok && parsed.header.join(',')).toBe(HEADER);
    expect(parsed.ok && parsed.rows).toHaveLength(1);
  });
});
