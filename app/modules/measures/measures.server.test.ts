import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';
import { measureFormSchema, parseMeasureFilters, type MeasureInput } from './measures.schema';
import {
  countCommitmentsForMeasure, createMeasure, findMeasure, listMeasures, listThemes, setMeasureActive, updateMeasure,
} from './measures.server';

const db = () => getDb();
const actor = { userId: null, organisationId: null, requestId: 'req-measures' };

let n = 0;
function input(overrides: Partial<MeasureInput> = {}): MeasureInput {
  n += 1;
  return {
    code: `T-${n}`, theme: 'Jobs', outcome: 'More local people in work', title: `Test measure ${n}`, unit: 'FTE',
    proxy_value: 123_456, framework_year: 2026, ...overrides,
  };
}

async function create(overrides: Partial<MeasureInput> = {}) {
  const result = await createMeasure(db(), input(overrides), actor);
  if (!result.ok) throw new Error(result.message);
  return (await findMeasure(db(), result.measureId))!;
}

function auditFor(measureId: string) {
  return db().selectFrom('audit_event').selectAll().where('subject_type', '=', 'measure').where('subject_id', '=', measureId).orderBy('id').execute();
}

describe('the measure form schema', () => {
  const parse = (fields: Record<string, string>) => measureFormSchema.safeParse({
    code: 'A-1', theme: 'Jobs', outcome: 'o', title: 't', unit: 'FTE', proxy_value: '£1,234.56', framework_year: '2026', ...fields,
  });

  it('takes pounds as typed and stores pence', () => {
    expect(parse({}).data?.proxy_value).toBe(123456);
    expect(parse({ proxy_value: '1234.5' }).data?.proxy_value).toBe(123450);
    expect(parse({ proxy_value: '0.18' }).data?.proxy_value).toBe(18);
  });

  it('refuses bad amounts, years, codes and formula-looking text with a message for the field', () => {
    const message = (fields: Record<string, string>) => parse(fields).error?.issues[0]?.message;
    expect(message({ proxy_value: '-5' })).toMatch(/amount in pounds/);
    expect(message({ proxy_value: '12.345' })).toMatch(/amount in pounds/);
    expect(message({ proxy_value: '100000000.01' })).toBe('Proxy value must be £100,000,000 or less');
    expect(message({ framework_year: '1999' })).toMatch(/from 2000 to 2100/);
    expect(message({ framework_year: '2101' })).toMatch(/from 2000 to 2100/);
    expect(message({ framework_year: '26' })).toMatch(/from 2000 to 2100/);
    expect(message({ code: 'has space' })).toMatch(/no spaces/);
    expect(message({ title: '=HYPERLINK("http://evil.example")' })).toMatch(/Title must not start with =/);
    expect(message({ unit: '@sum' })).toMatch(/Unit must not start with/);
  });
});

describe('createMeasure', () => {
  it('adds a measure and audits it', async () => {
    const measure = await create({ code: 'NEW-1' });
    expect(measure).toMatchObject({ code: 'NEW-1', proxy_value_pence: 123456, active: 1, is_demo: 0 });
    const [event] = await auditFor(measure.id);
    expect(event).toMatchObject({ action: 'measure.created', request_id: 'req-measures', before_json: null });
    expect(JSON.parse(event!.after_json!)).toMatchObject({ code: 'NEW-1', proxy_value_pence: 123456, active: true });
  });

  it('refuses a code already in use, whatever its capitals, with an error for the code field', async () => {
    await create({ code: 'DUP-1' });
    const result = await createMeasure(db(), input({ code: 'dup-1' }), actor);
    expect(result).toEqual({ ok: false, field: 'code', message: expect.stringContaining('dup-1 is already used') });
    expect(await db().selectFrom('measure').select('id').where('code', '=', 'DUP-1').execute()).toHaveLength(1);
  });

  it('keeps the spelling of a theme already in use', async () => {
    await create({ theme: 'Healthier communities' });
    const measure = await create({ theme: 'healthier COMMUNITIES' });
    expect(measure.theme).toBe('Healthier communities');
    expect((await listThemes(db())).filter((t) => t.toLowerCase() === 'healthier communities')).toEqual(['Healthier communities']);
  });
});

describe('updateMeasure', () => {
  it('saves changes and audits before and after', async () => {
    const measure = await create({ code: 'UPD-1' });
    const result = await updateMeasure(db(), measure.id, input({ code: 'UPD-1', title: 'Renamed', proxy_value: 500 }), measure.updated_at, actor);
    expect(result).toEqual({ ok: true, changed: true });
    const after = (await findMeasure(db(), measure.id))!;
    expect(after).toMatchObject({ title: 'Renamed', proxy_value_pence: 500 });
    expect(after.updated_at > measure.updated_at).toBe(true);
    const events = await auditFor(measure.id);
    expect(events.map((e) => e.action)).toEqual(['measure.created', 'measure.updated']);
    expect(JSON.parse(events[1]!.before_json!)).toMatchObject({ title: measure.title, proxy_value_pence: 123456 });
    expect(JSON.parse(events[1]!.after_json!)).toMatchObject({ title: 'Renamed', proxy_value_pence: 500 });
  });

  it('writes nothing when nothing changed', async () => {
    const measure = await create();
    const same = { code: measure.code, theme: measure.theme, outcome: measure.outcome, title: measure.title, unit: measure.unit, proxy_value: measure.proxy_value_pence, framework_year: measure.framework_year };
    expect(await updateMeasure(db(), measure.id, same, measure.updated_at, actor)).toEqual({ ok: true, changed: false });
    expect(await auditFor(measure.id)).toHaveLength(1);
  });

  it('refuses another measure’s code, and a stale version, and an unknown id', async () => {
    await create({ code: 'TAKEN-1' });
    const measure = await create({ code: 'MINE-1' });
    expect(await updateMeasure(db(), measure.id, input({ code: 'taken-1' }), measure.updated_at, actor))
      .toEqual({ ok: false, status: 400, fieldErrors: { code: expect.stringContaining('taken-1 is already used') } });
    expect(await updateMeasure(db(), measure.id, input({ code: 'MINE-1' }), '2000-01-01T00:00:00.000Z', actor))
      .toMatchObject({ ok: false, status: 409 });
    expect(await updateMeasure(db(), newId(), input(), measure.updated_at, actor)).toMatchObject({ ok: false, status: 404 });
    expect((await findMeasure(db(), measure.id))!.code).toBe('MINE-1');
  });

  it('lets a measure change the capitals of its own code', async () => {
    const measure = await create({ code: 'case-1' });
    expect(await updateMeasure(db(), measure.id, input({ code: 'CASE-1' }), measure.updated_at, actor)).toEqual({ ok: true, changed: true });
  });
});

async function commitTo(measureId: string) {
  const supplier = await makeOrganisation('supplier');
  const officer = await makeUser('officer');
  const now = nowIso();
  const contractId = newId();
  await db().insertInto('contract').values({
    id: contractId, reference: `C-${newId()}`, title: 'Cleaning', supplier_id: supplier.id, value_pence: 1_000_000,
    start_date: '2026-01-01', end_date: '2027-01-01', officer_id: officer.id, created_at: now, updated_at: now,
  }).execute();
  await db().insertInto('commitment').values({
    id: newId(), contract_id: contractId, measure_id: measureId, target_milli: 2000, proxy_value_pence: 123456,
    due_date: '2026-12-31', description: 'Two local jobs', created_at: now, updated_at: now,
  }).execute();
}

describe('updateMeasure on a measure that commitments use (framework edits never change history)', () => {
  it('refuses a new unit or code next to each field, naming how many commitments use it, and writes nothing', async () => {
    const measure = await create({ code: 'USED-1', unit: 'FTE' });
    await commitTo(measure.id);
    await commitTo(measure.id);
    const result = await updateMeasure(db(), measure.id, input({ code: 'USED-2', unit: 'hours' }), measure.updated_at, actor);
    expect(result).toEqual({
      ok: false, status: 400, fieldErrors: {
        code: 'This measure is used by 2 commitments, so its code cannot change. Retire it and add a new measure instead.',
        unit: 'This measure is used by 2 commitments, so its unit cannot change. Retire it and add a new measure instead.',
      },
    });
    expect(await updateMeasure(db(), measure.id, input({ code: 'USED-1', unit: 'fte' }), measure.updated_at, actor))
      .toEqual({ ok: false, status: 400, fieldErrors: { unit: expect.stringMatching(/^This measure is used by 2 commitments, so its unit cannot change/) } });
    expect(await findMeasure(db(), measure.id)).toEqual(measure);
    expect(await auditFor(measure.id)).toHaveLength(1);
  });

  it('says “1 commitment” for one', async () => {
    const measure = await create({ code: 'USED-3' });
    await commitTo(measure.id);
    expect(await updateMeasure(db(), measure.id, input({ code: 'USED-4' }), measure.updated_at, actor))
      .toEqual({ ok: false, status: 400, fieldErrors: { code: expect.stringMatching(/^This measure is used by 1 commitment, so its code cannot change\./) } });
  });

  it('still allows corrections of title, theme and outcome, a new proxy value for future commitments, and the code’s capitals (audited)', async () => {
    const measure = await create({ code: 'used-5', unit: 'FTE' });
    await commitTo(measure.id);
    const result = await updateMeasure(db(), measure.id, input({
      code: 'USED-5', unit: 'FTE', title: 'Corrected title', theme: 'Skills', outcome: 'Corrected outcome', proxy_value: 999,
    }), measure.updated_at, actor);
    expect(result).toEqual({ ok: true, changed: true });
    expect(await findMeasure(db(), measure.id)).toMatchObject({
      code: 'USED-5', unit: 'FTE', title: 'Corrected title', theme: 'Skills', outcome: 'Corrected outcome', proxy_value_pence: 999,
    });
    const commitment = await db().selectFrom('commitment').select('proxy_value_pence').where('measure_id', '=', measure.id).executeTakeFirstOrThrow();
    expect(commitment.proxy_value_pence).toBe(123456);
    expect((await auditFor(measure.id)).map((e) => e.action)).toEqual(['measure.created', 'measure.updated']);
  });

  it('lets a measure nobody uses change its code and unit', async () => {
    const measure = await create({ code: 'FREE-1', unit: 'FTE' });
    expect(await updateMeasure(db(), measure.id, input({ code: 'FREE-2', unit: 'hours' }), measure.updated_at, actor)).toEqual({ ok: true, changed: true });
  });
});

describe('setMeasureActive', () => {
  it('retires a measure in use (it is never deleted) and reactivates it, auditing each', async () => {
    const measure = await create();
    await commitTo(measure.id);
    expect(await setMeasureActive(db(), measure.id, false, measure.updated_at, actor)).toEqual({ ok: true });
    const retired = (await findMeasure(db(), measure.id))!;
    expect(retired.active).toBe(0);
    expect(await countCommitmentsForMeasure(db(), measure.id)).toBe(1);
    expect(await setMeasureActive(db(), measure.id, false, retired.updated_at, actor)).toMatchObject({ ok: false, status: 409 });
    expect(await setMeasureActive(db(), measure.id, true, measure.updated_at, actor)).toMatchObject({ ok: false, status: 409 });
    expect(await setMeasureActive(db(), measure.id, true, retired.updated_at, actor)).toEqual({ ok: true });
    const events = await auditFor(measure.id);
    expect(events.map((e) => e.action)).toEqual(['measure.created', 'measure.retired', 'measure.reactivated']);
    expect(JSON.parse(events[1]!.before_json!)).toMatchObject({ active: true });
    expect(JSON.parse(events[1]!.after_json!)).toMatchObject({ active: false });
  });

  it('cannot be deleted while commitments use it (the database refuses too)', async () => {
    const measure = await create();
    await commitTo(measure.id);
    await expect(db().deleteFrom('measure').where('id', '=', measure.id).execute()).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe('listMeasures', () => {
  it('searches code, title and outcome, filters by theme, status and year, sorts by code and pages', async () => {
    await create({ code: 'LST-B', theme: 'Listing', title: 'Bravo', framework_year: 2030 });
    await create({ code: 'LST-A', theme: 'Listing', title: 'Alpha 50% off', outcome: 'Searchable outcome' });
    const retired = await create({ code: 'LST-C', theme: 'Listing', title: 'Charlie' });
    await setMeasureActive(db(), retired.id, false, retired.updated_at, actor);

    const codes = async (query: string, page = 1, size = 25) =>
      (await listMeasures(db(), parseMeasureFilters(new URLSearchParams(query)), page, size)).rows.map((r) => r.code);
    expect(await codes('theme=listing')).toEqual(['LST-A', 'LST-B', 'LST-C']);
    expect(await codes('theme=Listing&status=active')).toEqual(['LST-A', 'LST-B']);
    expect(await codes('theme=Listing&status=retired')).toEqual(['LST-C']);
    expect(await codes('theme=Listing&year=2030')).toEqual(['LST-B']);
    expect(await codes('q=lst-c')).toEqual(['LST-C']);
    expect(await codes('q=50%25')).toEqual(['LST-A']);
    expect(await codes('q=searchable')).toEqual(['LST-A']);
    expect(await codes('q=_')).toEqual([]);
    expect(await codes('theme=Listing&status=nonsense&year=abc')).toEqual(['LST-A', 'LST-B', 'LST-C']);
    const paged = await listMeasures(db(), { theme: 'Listing' }, 2, 2);
    expect(paged).toMatchObject({ total: 3, page: 2, pageCount: 2 });
    expect(paged.rows.map((r) => r.code)).toEqual(['LST-C']);
  });
});
