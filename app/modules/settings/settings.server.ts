import type { DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { DEFAULT_REPORTING_PERIOD, REPORTING_PERIODS, type ReportingPeriod } from '~/modules/returns/periods';
import { nowIso } from '~/utils/time';

// The authority's settings, one row per key in `setting` (value as JSON).

const REPORTING_PERIOD_KEY = 'reporting_period';

async function readSetting(db: DbOrTx, key: string): Promise<unknown> {
  const row = await db.selectFrom('setting').select('value_json').where('key', '=', key).executeTakeFirst();
  return row ? JSON.parse(row.value_json) : undefined;
}

/** How often contractors report: quarterly unless an admin chose otherwise. */
export async function getReportingPeriod(db: DbOrTx): Promise<ReportingPeriod> {
  const value = await readSetting(db, REPORTING_PERIOD_KEY);
  return REPORTING_PERIODS.includes(value as ReportingPeriod) ? (value as ReportingPeriod) : DEFAULT_REPORTING_PERIOD;
}

/** Changes the reporting period; audited with before and after, in the caller's transaction. */
export async function setReportingPeriod(tx: DbOrTx, period: ReportingPeriod, actor: Actor): Promise<void> {
  const before = await getReportingPeriod(tx);
  if (before === period) return;
  await tx
    .insertInto('setting')
    .values({ key: REPORTING_PERIOD_KEY, value_json: JSON.stringify(period), updated_at: nowIso(), updated_by: actor.userId })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: JSON.stringify(period), updated_at: nowIso(), updated_by: actor.userId }))
    .execute();
  await recordAudit(tx, actor, { action: 'setting.updated', subjectType: 'setting', subjectId: REPORTING_PERIOD_KEY, before: { value: before }, after: { value: period } });
}
