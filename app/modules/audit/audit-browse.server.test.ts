import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../../tests/support/factories';
import { auditFacets, browseAudit, ukDayStart } from './audit-browse.server';
import { auditFiltersSchema } from './audit-browse.schema';

const db = () => getDb();
let admin: Awaited<ReturnType<typeof makeUser>>;
let officer: Awaited<ReturnType<typeof makeUser>>;

// 120 events, one an hour from 2026-03-28 00:00 UTC (across the change to British Summer Time):
// odd hours by the admin (test.odd, subject user/…), even hours by the officer (test.even, subject organisation/…).
beforeAll(async () => {
  admin = await makeUser('admin');
  officer = await makeUser('officer', { organisationId: admin.organisationId });
  const start = Date.UTC(2026, 2, 28);
  const rows = Array.from({ length: 120 }, (_, i) => {
    const byAdmin = i % 2 === 1;
    return {
      occurred_at: new Date(start + i * 3_600_000).toISOString(),
      actor_user_id: byAdmin ? admin.id : officer.id,
      actor_organisation_id: admin.organisationId,
      action: byAdmin ? 'test.odd' : 'test.even',
      subject_type: byAdmin ? 'user' : 'organisation',
      subject_id: `subject-${i % 10}`,
      before_json: null,
      after_json: JSON.stringify({ i }),
      request_id: `req-${i}`,
    };
  });
  await db().insertInto('audit_event').values(rows).execute();
});

const indexOf = (e: { after_json: string | null }) => (JSON.parse(e.after_json!) as { i: number }).i;

describe('browseAudit', () => {
  it('lists newest first with actor, organisation and request id', async () => {
    const page = await browseAudit(db(), {}, {}, 10);
    expect(page.events.map(indexOf)).toEqual([119, 118, 117, 116, 115, 114, 113, 112, 111, 110]);
    expect(page.events[0]).toMatchObject({ actorName: 'Test admin', actorEmail: admin.email, request_id: 'req-119', action: 'test.odd' });
    expect(page.events[0]!.actorOrganisationName).toBeTruthy();
    expect(page.newerThan).toBeNull();
    expect(page.olderThan).toBe(page.events.at(-1)!.id);
  });

  it('walks every page by keyset, forwards and back, without gaps or repeats', async () => {
    const seen: number[] = [];
    let page = await browseAudit(db(), { actionName: 'test.odd' }, {}, 25);
    const pages = [page];
    seen.push(...page.events.map(indexOf));
    while (page.olderThan) {
      page = await browseAudit(db(), { actionName: 'test.odd' }, { before: page.olderThan }, 25);
      pages.push(page);
      seen.push(...page.events.map(indexOf));
    }
    expect(seen).toEqual(Array.from({ length: 60 }, (_, k) => 119 - 2 * k));
    expect(pages.map((p) => p.events.length)).toEqual([25, 25, 10]);
    // Back from the last page gives the second page exactly.
    const back = await browseAudit(db(), { actionName: 'test.odd' }, { after: pages[2]!.newerThan! }, 25);
    expect(back.events.map((e) => e.id)).toEqual(pages[1]!.events.map((e) => e.id));
    expect(back.newerThan).not.toBeNull();
    // Back from the second page is the (full) first page, with no newer link.
    const first = await browseAudit(db(), { actionName: 'test.odd' }, { after: pages[1]!.newerThan! }, 25);
    expect(first.events.map((e) => e.id)).toEqual(pages[0]!.events.map((e) => e.id));
    expect(first.newerThan).toBeNull();
  });

  it('filters by subject, actor email (any case) and subject type', async () => {
    const bySubject = await browseAudit(db(), { subjectType: 'user', subjectId: 'subject-3' }, {}, 100);
    expect(bySubject.events.map(indexOf)).toEqual([113, 103, 93, 83, 73, 63, 53, 43, 33, 23, 13, 3]);
    const byActor = await browseAudit(db(), { actor: officer.email.toUpperCase(), subjectType: 'organisation' }, {}, 100);
    expect(byActor.events).toHaveLength(60);
    expect(byActor.events.every((e) => e.actor_user_id === officer.id)).toBe(true);
    expect((await browseAudit(db(), { actor: 'nobody@example.org' }, {}, 10)).events).toEqual([]);
  });

  it('filters by UK calendar days, inclusive, across the clock change', async () => {
    // 29 March 2026 is the day British Summer Time starts: 23 hours long.
    expect(ukDayStart('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(ukDayStart('2026-03-30')).toBe('2026-03-29T23:00:00.000Z');
    const sunday = await browseAudit(db(), { from: '2026-03-29', to: '2026-03-29' }, {}, 100);
    expect(sunday.events.map(indexOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, k) => 24 + k));
    const fromMonday = await browseAudit(db(), { from: '2026-03-30' }, {}, 200);
    expect(Math.min(...fromMonday.events.map(indexOf))).toBe(47);
  });

  it('offers the distinct actions and subject types', async () => {
    const facets = await auditFacets(db());
    expect(facets.actions).toEqual(expect.arrayContaining(['test.even', 'test.odd']));
    expect(new Set(facets.actions).size).toBe(facets.actions.length);
    expect(facets.subjectTypes).toEqual(expect.arrayContaining(['organisation', 'user']));
  });

  it('pages with index range scans, not a sort of the whole table', async () => {
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN
      SELECT id FROM audit_event WHERE action = 'test.odd' AND (occurred_at, id) < ('2026-04-01', 1000) ORDER BY occurred_at DESC, id DESC LIMIT 51`.execute(db());
    const details = plan.rows.map((r) => r.detail).join('\n');
    expect(details).toMatch(/audit_event_action/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });
});

describe('auditFiltersSchema', () => {
  it('accepts real dates in order and refuses the rest with specific messages', () => {
    expect(auditFiltersSchema.safeParse({ from: '2026-02-01', to: '2026-02-28' }).success).toBe(true);
    const bad = auditFiltersSchema.safeParse({ from: '2026-02-30', to: '2026-01-01' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['from', 'Date from must be a real date, like 2026-11-24'],
    ]);
    const reversed = auditFiltersSchema.safeParse({ from: '2026-02-02', to: '2026-02-01' });
    expect(reversed.error?.issues.map((i) => i.message)).toEqual(['Date to must be the same as or after date from']);
  });
});
