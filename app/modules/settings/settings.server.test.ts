import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { getReportingPeriod, setReportingPeriod } from './settings.server';

const actor = { userId: null, organisationId: null, requestId: 't' };

describe('reporting period setting', () => {
  it('is quarterly until changed, and a change is audited once', async () => {
    expect(await getReportingPeriod(getDb())).toBe('quarterly');
    await getDb().transaction().execute((tx) => setReportingPeriod(tx, 'monthly', actor));
    await getDb().transaction().execute((tx) => setReportingPeriod(tx, 'monthly', actor));
    expect(await getReportingPeriod(getDb())).toBe('monthly');
    const events = await getDb().selectFrom('audit_event').selectAll().where('action', '=', 'setting.updated').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.before_json!)).toEqual({ value: 'quarterly' });
    expect(JSON.parse(events[0]!.after_json!)).toEqual({ value: 'monthly' });
  });
});
