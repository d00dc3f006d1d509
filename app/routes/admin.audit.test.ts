import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { Role } from '#db/schema';
import { recordAudit } from '~/modules/audit/audit.server';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { loader } from './admin.audit';

interface Page {
  invalid: boolean;
  reply: { error?: Record<string, string[]> };
  facets: { actions: string[]; subjectTypes: string[] };
  page: { events: Array<{ id: number; action: string; subject_id: string; actorEmail: string | null }>; newerThan: number | null; olderThan: number | null };
}

describe('/admin/audit', () => {
  it('sends anonymous visitors to sign in', async () => {
    const outcome = await run(loader, makeRequest('/admin/audit?subjectId=x'));
    expect(outcome).toMatchObject({ status: 302, location: '/sign-in?redirectTo=%2Fadmin%2Faudit%3FsubjectId%3Dx' });
  });

  it.each<Role>(['officer', 'contractor', 'vcse'])('refuses a %s with 403', async (role) => {
    const user = await makeUser(role);
    expect((await run(loader, makeRequest('/admin/audit', { cookie: await cookieFor(user.id) }))).status).toBe(403);
  });

  it('shows a subject’s trail, newest first, paged by keyset links', async () => {
    const admin = await makeUser('admin');
    const cookie = await cookieFor(admin.id);
    const subject = await makeUser('officer');
    for (let i = 0; i < 55; i += 1) {
      await recordAudit(getDb(), { userId: admin.id, organisationId: admin.organisationId, requestId: `r${i}` }, {
        action: i % 2 ? 'test.route_odd' : 'test.route_even', subjectType: 'user', subjectId: subject.id, after: { i },
      });
    }
    const first = await run(loader, makeRequest(`/admin/audit?subjectType=user&subjectId=${subject.id}`, { cookie }));
    expect(first.status).toBe(200);
    const page1 = first.data as Page;
    expect(page1.page.events).toHaveLength(50);
    expect(page1.page.events.every((e) => e.subject_id === subject.id && e.actorEmail === admin.email)).toBe(true);
    expect(page1.page.newerThan).toBeNull();
    expect(page1.facets.actions).toEqual(expect.arrayContaining(['test.route_even', 'test.route_odd']));

    const second = (await run(loader, makeRequest(`/admin/audit?subjectType=user&subjectId=${subject.id}&before=${page1.page.olderThan}`, { cookie }))).data as Page;
    expect(second.page.events).toHaveLength(5);
    expect(second.page.olderThan).toBeNull();
    expect(Math.max(...second.page.events.map((e) => e.id))).toBeLessThan(Math.min(...page1.page.events.map((e) => e.id)));

    const odd = (await run(loader, makeRequest(`/admin/audit?actionName=test.route_odd&actor=${encodeURIComponent(admin.email)}`, { cookie }))).data as Page;
    expect(odd.page.events).toHaveLength(27);
    expect(new Set(odd.page.events.map((e) => e.action))).toEqual(new Set(['test.route_odd']));
  });

  it('answers impossible dates with 400 and messages for the error summary', async () => {
    const admin = await makeUser('admin');
    const outcome = await run(loader, makeRequest('/admin/audit?from=2026-13-01&to=2026-01-01', { cookie: await cookieFor(admin.id) }));
    expect(outcome.status).toBe(400);
    const page = outcome.data as Page;
    expect(page.invalid).toBe(true);
    expect(page.reply.error).toMatchObject({ from: ['Date from must be a real date, like 2026-11-24'] });
    expect(page.page.events).toEqual([]);
  });
});
