import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { action, loader } from './admin.settings';

const post = (cookie: string | undefined, form: Record<string, string | string[]>) => makeRequest('/admin/settings', { method: 'POST', cookie, form });
const settingEvents = () => getDb().selectFrom('audit_event').selectAll().where('action', '=', 'setting.updated').execute();

describe('/admin/settings', () => {
  it('is for administrators only', async () => {
    expect((await run(loader, makeRequest('/admin/settings'))).location).toMatch(/^\/sign-in\?redirectTo=%2Fadmin%2Fsettings/);
    expect((await run(action, post(undefined, { reportingPeriod: 'monthly' }))).location).toMatch(/^\/sign-in/);
    for (const role of ['officer', 'contractor', 'vcse'] as const) {
      const cookie = await cookieFor((await makeUser(role)).id);
      expect((await run(loader, makeRequest('/admin/settings', { cookie }))).status).toBe(403);
      expect((await run(action, post(cookie, { reportingPeriod: 'monthly' }))).status).toBe(403);
    }
    expect(await getReportingPeriod(getDb())).toBe('quarterly');
  });

  it('shows the current reporting period, saves a new one with an audit event, and says so', async () => {
    const admin = await makeUser('admin');
    const cookie = await cookieFor(admin.id);
    expect((await run(loader, makeRequest('/admin/settings', { cookie }))).data).toEqual({ reportingPeriod: 'quarterly', saved: false });

    const saved = await run(action, post(cookie, { reportingPeriod: 'half-yearly' }));
    expect(saved).toMatchObject({ status: 303, location: '/admin/settings?saved=reporting-period' });
    expect(await getReportingPeriod(getDb())).toBe('half-yearly');
    const events = await settingEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_user_id: admin.id, subject_id: 'reporting_period' });
    expect(JSON.parse(events[0]!.after_json!)).toEqual({ value: 'half-yearly' });

    expect((await run(loader, makeRequest('/admin/settings?saved=reporting-period', { cookie }))).data).toEqual({ reportingPeriod: 'half-yearly', saved: true });
    // Saving the same value again changes nothing and records nothing.
    expect((await run(action, post(cookie, { reportingPeriod: 'half-yearly' }))).status).toBe(303);
    expect(await settingEvents()).toHaveLength(1);
  });

  it.each([
    ['nothing chosen', {}],
    ['a value that is not offered', { reportingPeriod: 'weekly' }],
    ['a repeated field', { reportingPeriod: ['monthly', 'annual'] }],
  ])('answers %s with 400 and the error by the field, changing nothing', async (_, form) => {
    const cookie = await cookieFor((await makeUser('admin')).id);
    const before = await getReportingPeriod(getDb());
    const eventsBefore = (await settingEvents()).length;
    const outcome = await run(action, post(cookie, form));
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ status: 'error', error: { reportingPeriod: ['Select how often contractors report their progress'] } });
    expect(await getReportingPeriod(getDb())).toBe(before);
    expect(await settingEvents()).toHaveLength(eventsBefore);
  });
});
