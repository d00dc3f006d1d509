import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { DEFAULT_CREDIT_POLICY } from '~/modules/credits/policy';
import { getCreditPolicy } from '~/modules/credits/policy.server';
import { action, loader } from './admin.settings_.credit-policy';

const URL_PATH = '/admin/settings/credit-policy';
const post = (cookie: string | undefined, form: Record<string, string>) => makeRequest(URL_PATH, { method: 'POST', cookie, form });
const good = { maxSubstitutedPercent: '40', allowCrossTheme: 'yes', priorityWardUpliftPercent: '15', creditsExpireWithContract: 'no' };

describe('/admin/settings/credit-policy', () => {
  it('is for administrators only', async () => {
    expect((await run(loader, makeRequest(URL_PATH))).location).toMatch(/^\/sign-in/);
    for (const role of ['officer', 'contractor', 'vcse'] as const) {
      const cookie = await cookieFor((await makeUser(role)).id);
      expect((await run(action, post(cookie, good))).status).toBe(403);
    }
    expect(await getCreditPolicy(getDb())).toEqual(DEFAULT_CREDIT_POLICY);
  });

  it('shows the policy, refuses bad values field by field, and saves a change with an audit event', async () => {
    const admin = await makeUser('admin');
    const cookie = await cookieFor(admin.id);
    expect((await run(loader, makeRequest(URL_PATH, { cookie }))).data).toMatchObject({ values: { maxSubstitutedPercent: '50', allowCrossTheme: 'no' } });
    const bad = await run(action, post(cookie, { maxSubstitutedPercent: '101', priorityWardUpliftPercent: '-5', allowCrossTheme: 'maybe', creditsExpireWithContract: '' }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ error: {
      maxSubstitutedPercent: ['Largest share that swaps may meet must be a whole number from 0 to 100'],
      priorityWardUpliftPercent: ['Uplift for needs in priority wards must be a whole number from 0 to 100'],
      allowCrossTheme: [expect.stringContaining('another theme')],
      creditsExpireWithContract: [expect.stringContaining('expire')],
    } });
    expect(await getCreditPolicy(getDb())).toEqual(DEFAULT_CREDIT_POLICY);
    expect(await run(action, post(cookie, good))).toMatchObject({ status: 303, location: `${URL_PATH}?saved=1` });
    expect(await getCreditPolicy(getDb())).toEqual({ maxSubstitutedPercent: 40, allowCrossTheme: true, priorityWardUpliftPercent: 15, creditsExpireWithContract: false });
    const events = await getDb().selectFrom('audit_event').selectAll().where('subject_id', '=', 'credit_policy').where('actor_user_id', '=', admin.id).execute();
    expect(events).toHaveLength(1);
  });
});
