import { sql, type Selectable, type SqlBool } from 'kysely';
import type { DbOrTx, Tx } from '#db/client';
import type { MeasureTable } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { newId } from '~/utils/ids.server';
import { addMs, nowIso } from '~/utils/time';
import { MEASURES_PAGE_SIZE, type MeasureFilters, type MeasureInput } from './measures.schema';

// The authority's measures framework. Administrators add, edit, retire and
// reactivate measures; nothing is ever deleted, because commitments point at
// measures and the audit trail names them (a retired measure is simply not
// offered for new commitments). Every change is audited in its own transaction.

export type Measure = Selectable<MeasureTable>;

/** Escapes LIKE's wildcards so a search for "50%" means the characters "50%". */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listMeasures(db: DbOrTx, filters: MeasureFilters, page: number, pageSize = MEASURES_PAGE_SIZE) {
  let query = db.selectFrom('measure');
  if (filters.q) {
    const pattern = likeContains(filters.q);
    query = query.where((eb) => eb.or(
      (['code', 'title', 'outcome'] as const).map((column) => sql<SqlBool>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`),
    ));
  }
  if (filters.theme) query = query.where(sql<SqlBool>`theme = ${filters.theme} COLLATE NOCASE`);
  if (filters.status) query = query.where('active', '=', filters.status === 'active' ? 1 : 0);
  if (filters.year) query = query.where('framework_year', '=', filters.year);

  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await query
    .selectAll()
    .orderBy('code')
    .limit(pageSize)
    .offset((current - 1) * pageSize)
    .execute();
  return { rows, total, page: current, pageCount, pageSize };
}

/** The themes in use, for the theme filter and the form's suggestions. */
export async function listThemes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('measure').select('theme').distinct().orderBy('theme').execute();
  return rows.map((r) => r.theme);
}

export async function listFrameworkYears(db: DbOrTx): Promise<number[]> {
  const rows = await db.selectFrom('measure').select('framework_year').distinct().orderBy('framework_year', 'desc').execute();
  return rows.map((r) => r.framework_year);
}

export function findMeasure(db: DbOrTx, measureId: string): Promise<Measure | undefined> {
  return db.selectFrom('measure').selectAll().where('id', '=', measureId).executeTakeFirst();
}

export function findMeasureByCode(db: DbOrTx, code: string): Promise<Measure | undefined> {
  // The column is COLLATE NOCASE, so this match ignores case.
  return db.selectFrom('measure').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function countCommitmentsForMeasure(db: DbOrTx, measureId: string): Promise<number> {
  const { n } = await db
    .selectFrom('commitment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('measure_id', '=', measureId)
    .executeTakeFirstOrThrow();
  return n;
}

/** What the audit trail records of a measure, before and after a change. */
export function measureSnapshot(m: Pick<Measure, 'code' | 'theme' | 'outcome' | 'title' | 'unit' | 'proxy_value_pence' | 'framework_year' | 'active'>) {
  return {
    code: m.code, theme: m.theme, outcome: m.outcome, title: m.title, unit: m.unit,
    proxy_value_pence: m.proxy_value_pence, framework_year: m.framework_year, active: m.active === 1,
  };
}

/** The spelling already in use for a theme ("jobs" becomes "Jobs"), so filters do not split one theme in two. */
export async function canonicalTheme(db: DbOrTx, theme: string, excludeMeasureId?: string): Promise<string> {
  let query = db.selectFrom('measure').select('theme').where(sql<SqlBool>`theme = ${theme} COLLATE NOCASE`);
  if (excludeMeasureId) query = query.where('id', '!=', excludeMeasureId);
  const row = await query.orderBy('created_at').limit(1).executeTakeFirst();
  return row?.theme ?? theme;
}

/** The next version stamp: now, but always later than the last one so two quick changes differ. */
export function nextVersion(previous: string): string {
  const now = nowIso();
  return now > previous ? now : addMs(previous, 1);
}

export const codeTakenMessage = (code: string) => `Code ${code} is already used by another measure. Each code must be unique (capitals do not count)`;

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export type CreateMeasureResult = { ok: true; measureId: string } | { ok: false; field: 'code'; message: string };

export async function createMeasure(db: DbOrTx, input: MeasureInput, actor: Actor): Promise<CreateMeasureResult> {
  const taken = { ok: false, field: 'code', message: codeTakenMessage(input.code) } as const;
  try {
    return await db.transaction().execute(async (tx) => {
      if (await findMeasureByCode(tx, input.code)) return taken;
      const now = nowIso();
      const measure = {
        id: newId(), code: input.code, theme: await canonicalTheme(tx, input.theme), outcome: input.outcome, title: input.title,
        unit: input.unit, proxy_value_pence: input.proxy_value, framework_year: input.framework_year, active: 1, is_demo: 0,
        created_at: now, updated_at: now,
      };
      await tx.insertInto('measure').values(measure).execute();
      await recordAudit(tx, actor, { action: 'measure.created', subjectType: 'measure', subjectId: measure.id, after: measureSnapshot(measure) });
      return { ok: true, measureId: measure.id } as const;
    });
  } catch (error) {
    // Another request took the code between our check and our insert.
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
}

/** The fields whose meaning existing commitments depend on: they read them from the measure, not a copy. */
export type FixedInUseField = 'code' | 'unit';

/**
 * Why a measure used by commitments keeps its code and unit: a commitment copies only
 * the proxy value, so changing either would silently change what existing commitments mean.
 */
export function inUseMessage(field: FixedInUseField, commitments: number): string {
  const used = `${commitments} ${commitments === 1 ? 'commitment' : 'commitments'}`;
  return `This measure is used by ${used}, so its ${field} cannot change. Retire it and add a new measure instead.`;
}

export type UpdateMeasureResult =
  | { ok: true; changed: boolean }
  | { ok: false; status: 404 | 409; message: string }
  | { ok: false; status: 400; fieldErrors: Partial<Record<FixedInUseField, string>> };

export const STALE_MESSAGE = 'Someone else changed this measure while you were looking at it. Check its details below and try again.';

/**
 * Edits a measure only if nobody changed it since `version`. Commitments keep the proxy value they copied;
 * they read the code and unit from the measure, so those stay fixed once any commitment uses it
 * (a change of capitals alone in the code is allowed: codes ignore capitals).
 */
export async function updateMeasure(db: DbOrTx, measureId: string, input: MeasureInput, version: string, actor: Actor): Promise<UpdateMeasureResult> {
  try {
    return await db.transaction().execute(async (tx): Promise<UpdateMeasureResult> => {
      const before = await findMeasure(tx, measureId);
      if (!before) return { ok: false, status: 404, message: 'Measure not found' };
      if (before.updated_at !== version) return { ok: false, status: 409, message: STALE_MESSAGE };
      const commitments = await countCommitmentsForMeasure(tx, measureId);
      if (commitments > 0) {
        const fieldErrors: Partial<Record<FixedInUseField, string>> = {};
        if (input.code.toLowerCase() !== before.code.toLowerCase()) fieldErrors.code = inUseMessage('code', commitments);
        if (input.unit !== before.unit) fieldErrors.unit = inUseMessage('unit', commitments);
        if (fieldErrors.code || fieldErrors.unit) return { ok: false, status: 400, fieldErrors };
      }
      const clash = await findMeasureByCode(tx, input.code);
      if (clash && clash.id !== measureId) return { ok: false, status: 400, fieldErrors: { code: codeTakenMessage(input.code) } };
      const theme = await canonicalTheme(tx, input.theme, measureId);
      const after = {
        ...before, code: input.code, theme, outcome: input.outcome, title: input.title, unit: input.unit,
        proxy_value_pence: input.proxy_value, framework_year: input.framework_year,
      };
      const changed = JSON.stringify(measureSnapshot(before)) !== JSON.stringify(measureSnapshot(after));
      if (!changed) return { ok: true, changed: false };
      await applyUpdate(tx, before, after);
      await recordAudit(tx, actor, {
        action: 'measure.updated', subjectType: 'measure', subjectId: measureId, before: measureSnapshot(before), after: measureSnapshot(after),
      });
      return { ok: true, changed: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 400, fieldErrors: { code: codeTakenMessage(input.code) } };
    throw error;
  }
}

/** Writes a measure's editable fields; `version` guards the row against a concurrent change. */
export async function applyUpdate(tx: Tx, before: Measure, after: Omit<Measure, 'updated_at' | 'created_at' | 'id' | 'is_demo'>): Promise<void> {
  const result = await tx
    .updateTable('measure')
    .set({
      code: after.code, theme: after.theme, outcome: after.outcome, title: after.title, unit: after.unit,
      proxy_value_pence: after.proxy_value_pence, framework_year: after.framework_year, active: after.active,
      updated_at: nextVersion(before.updated_at),
    })
    .where('id', '=', before.id)
    .where('updated_at', '=', before.updated_at)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new Error(`measure ${before.id} changed during the transaction`);
}

export type MeasureStatusResult = { ok: true } | { ok: false; status: 404 | 409; message: string };

/** Retires (active = false) or reactivates a measure. Commitments already made on it are untouched. */
export async function setMeasureActive(db: DbOrTx, measureId: string, active: boolean, version: string, actor: Actor): Promise<MeasureStatusResult> {
  return db.transaction().execute(async (tx): Promise<MeasureStatusResult> => {
    const before = await findMeasure(tx, measureId);
    if (!before) return { ok: false, status: 404, message: 'Measure not found' };
    if (before.updated_at !== version) return { ok: false, status: 409, message: STALE_MESSAGE };
    if ((before.active === 1) === active) {
      return { ok: false, status: 409, message: active ? 'This measure is already active.' : 'This measure is already retired.' };
    }
    const after = { ...before, active: active ? 1 : 0 };
    await applyUpdate(tx, before, after);
    await recordAudit(tx, actor, {
      action: active ? 'measure.reactivated' : 'measure.retired', subjectType: 'measure', subjectId: measureId,
      before: measureSnapshot(before), after: measureSnapshot(after),
    });
    return { ok: true };
  });
}
