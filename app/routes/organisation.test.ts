import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { loader } from './organisation';

// /organisation: a VCSE user's own organisation, read-only.
describe('/organisation', () => {
  it('shows the signed-in VCSE user their own organisation and status', async () => {
    const mine = await makeOrganisation('vcse', 'pending', 'My group');
    await makeOrganisation('vcse', 'verified', 'Someone else');
    const user = await makeUser('vcse', { organisationId: mine.id });
    const outcome = await run(loader, makeRequest('/organisation', { cookie: await cookieFor(user.id) }));
    expect(outcome.data).toMatchObject({ organisation: { name: 'My group', status: 'pending', decisionReason: null } });
  });

  it('shows the reason when the organisation was rejected', async () => {
    const org = await makeOrganisation('vcse', 'pending');
    await getDb().updateTable('organisation').set({ status: 'rejected', decision_reason: 'Send your constitution', decided_at: new Date().toISOString() }).where('id', '=', org.id).execute();
    const user = await makeUser('vcse', { organisationId: org.id });
    const outcome = await run(loader, makeRequest('/organisation', { cookie: await cookieFor(user.id) }));
    expect(outcome.data).toMatchObject({ organisation: { status: 'rejected', decisionReason: 'Send your constitution' } });
  });

  it('sends anonymous visitors to sign in and refuses other roles', async () => {
    expect((await run(loader, makeRequest('/organisation'))).location).toBe('/sign-in?redirectTo=%2Forganisation');
    for (const role of ['contractor', 'officer', 'admin'] as const) {
      const cookie = await cookieFor((await makeUser(role)).id);
      expect((await run(loader, makeRequest('/organisation', { cookie }))).status).toBe(403);
    }
  });
});
