import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeReturn, makeUser } from '../../../tests/support/factories';
import type { Actor } from '~/modules/audit/audit.server';
import { loadEnv } from '~/utils/env.server';
import type { StoredFile } from './evidence-limits';
import { evidencePath } from './evidence-store.server';
import { addComment } from './returns.comments.server';
import { createReturn, editReturn, resubmitReturn, submitReturn, updateDraft, type Author, type NewReturn } from './returns.server';

const TODAY = '2026-11-25';

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-returns-'));
  loadEnv();
});

async function setup({ contractStatus = 'active' as 'active' | 'completed' } = {}) {
  const supplier = await makeOrganisation('supplier');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const officer = await makeUser('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, startDate: '2026-04-01', endDate: '2028-03-31', status: contractStatus });
  const measure = await makeMeasure({ unit: 'hours' });
  const commitment = await makeCommitment(contract.id, measure.id, { targetMilli: 100_000 });
  const author: Author = { id: contractor.id, organisationId: supplier.id, role: 'contractor' };
  const actor: Actor = { userId: contractor.id, organisationId: supplier.id, requestId: 'test' };
  return { supplier, contractor, officer, contract, measure, commitment, author, actor };
}

const input = (over: Partial<NewReturn> = {}): NewReturn => ({ intent: 'draft', period: '2026-07-01', quantity: 12_500, narrative: 'Twelve and a half hours of mentoring', isStory: false, ...over });

/** A file as the evidence module would have stored it. */
function storedFile(content = `evidence ${randomUUID()}`): StoredFile {
  const data = Buffer.from(`%PDF-1.4\n${content}\n%%EOF\n`);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const file = evidencePath(sha256);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return { sha256, sizeBytes: data.length, contentType: 'application/pdf', fileName: 'report.pdf' };
}

const db = () => getDb();

/** Hides what the first look-up of returns finds, as if another tab's return were committed just after it. */
function missFirstLiveCheck(): KyselyPlugin {
  let hidden: string | undefined;
  return {
    transformQuery({ node, queryId }) {
      if (!hidden && node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes('"progress_return"')) hidden = queryId.queryId;
      return node;
    },
    transformResult: async ({ result, queryId }) => (queryId.queryId === hidden ? { ...result, rows: [] } : result),
  };
}
const returnRow = (id: string) => db().selectFrom('progress_return').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const thread = (id: string) => db().selectFrom('return_comment').select(['kind', 'body', 'author_id']).where('return_id', '=', id).orderBy('created_at').orderBy('id').execute();
const audits = (id: string) => db().selectFrom('audit_event').select(['action', 'actor_user_id']).where('subject_id', '=', id).orderBy('id').execute();
const outbox = (userId: string) => db().selectFrom('notification').select(['kind', 'to_email', 'link', 'subject']).where('to_user_id', '=', userId).orderBy('created_at').execute();

describe('createReturn', () => {
  it('saves a draft for a period of the contract: audited, nothing in the thread, nobody told', async () => {
    const s = await setup();
    const result = await createReturn(db(), s.author, s.commitment.id, input(), {}, s.actor, undefined, TODAY);
    expect(result.ok).toBe(true);
    const id = (result as { id: string }).id;
    expect(await returnRow(id)).toMatchObject({
      status: 'draft', period_start: '2026-07-01', period_end: '2026-09-30', quantity_milli: 12_500, supplier_id: s.supplier.id,
      contract_id: s.contract.id, submitted_at: null, created_by: s.contractor.id,
    });
    expect(await thread(id)).toEqual([]);
    expect((await audits(id)).map((a) => a.action)).toEqual(['return.created']);
    expect(await outbox(s.officer.id)).toEqual([]);
  });

  it('submits at once: the thread’s first step, an audit event and a notification to the responsible officer', async () => {
    const s = await setup();
    const result = await createReturn(db(), s.author, s.commitment.id, input({ intent: 'submit', isStory: true }), {}, s.actor, undefined, TODAY);
    const id = (result as { id: string }).id;
    const row = await returnRow(id);
    expect(row).toMatchObject({ status: 'submitted', is_story: 1 });
    expect(row.submitted_at).toBeTruthy();
    expect(row.first_submitted_at).toBe(row.submitted_at);
    expect(await thread(id)).toEqual([{ kind: 'submitted', body: '', author_id: s.contractor.id }]);
    expect((await audits(id)).map((a) => a.action)).toEqual(['return.created', 'return.submitted']);
    const mail = await outbox(s.officer.id);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ kind: 'return_submitted', to_email: s.officer.email, link: `http://localhost:3000/returns/${id}` });
    expect(mail[0]!.subject).toContain('Jul to Sep 2026');
  });

  it('tells every active officer and admin instead when the responsible officer is deactivated', async () => {
    const s = await setup();
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', s.officer.id).execute();
    const [colleague, admin, gone] = [await makeUser('officer'), await makeUser('admin'), await makeUser('officer')];
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
    const id = ((await createReturn(db(), s.author, s.commitment.id, input({ intent: 'submit' }), {}, s.actor, undefined, TODAY)) as { id: string }).id;

    expect(await outbox(s.officer.id)).toEqual([]);
    expect(await outbox(gone.id)).toEqual([]);
    for (const user of [colleague, admin]) {
      expect(await outbox(user.id), user.role).toEqual([expect.objectContaining({ kind: 'return_submitted', to_email: user.email, link: `http://localhost:3000/returns/${id}` })]);
    }
    const sent = await db().selectFrom('notification').select(['to_user_id', 'body_text']).where('link', '=', `http://localhost:3000/returns/${id}`).execute();
    const active = await db().selectFrom('user').select('id').where('role', 'in', ['officer', 'admin']).where('status', '=', 'active').execute();
    expect(sent.map((n) => n.to_user_id).sort()).toEqual(active.map((u) => u.id).sort());
    expect(sent[0]!.body_text).toContain('responsible officer, Test officer, no longer has an active account');
  });

  it('needs a narrative to submit, not to save a draft', async () => {
    const s = await setup();
    expect(await createReturn(db(), s.author, s.commitment.id, input({ intent: 'submit', narrative: '' }), {}, s.actor, undefined, TODAY))
      .toMatchObject({ ok: false, reason: 'invalid', field: 'narrative' });
    expect((await createReturn(db(), s.author, s.commitment.id, input({ narrative: '' }), {}, s.actor, undefined, TODAY)).ok).toBe(true);
  });

  it('allows one live return per commitment and period; a rejected one can be replaced', async () => {
    const s = await setup();
    const first = await createReturn(db(), s.author, s.commitment.id, input(), {}, s.actor, undefined, TODAY);
    expect(first.ok).toBe(true);
    const again = await createReturn(db(), s.author, s.commitment.id, input({ intent: 'submit' }), {}, s.actor, undefined, TODAY);
    expect(again).toMatchObject({ ok: false, reason: 'invalid', field: 'period' });
    expect((again as { message: string }).message).toMatch(/A return for Jul to Sep 2026 already exists for this commitment \(draft\)/);
    // Another period is fine, and so is the same period once the first return was rejected.
    expect((await createReturn(db(), s.author, s.commitment.id, input({ period: '2026-04-01' }), {}, s.actor, undefined, TODAY)).ok).toBe(true);
    await db().updateTable('progress_return').set({ status: 'rejected' }).where('id', '=', (first as { id: string }).id).execute();
    expect((await createReturn(db(), s.author, s.commitment.id, input(), {}, s.actor, undefined, TODAY)).ok).toBe(true);
    const rows = await db().selectFrom('progress_return').select('status').where('commitment_id', '=', s.commitment.id).execute();
    expect(rows).toHaveLength(3);
  });

  it('two tabs racing for a period: the unique index refuses the second, naming the first one’s period and real status', async () => {
    const s = await setup();
    expect((await createReturn(db(), s.author, s.commitment.id, input({ intent: 'submit' }), {}, s.actor, undefined, TODAY)).ok).toBe(true);
    const raced = await createReturn(db().withPlugin(missFirstLiveCheck()), s.author, s.commitment.id, input(), {}, s.actor, undefined, TODAY);
    expect(raced).toMatchObject({ ok: false, reason: 'invalid', field: 'period' });
    expect((raced as { message: string }).message).toMatch(/^A return for Jul to Sep 2026 already exists for this commitment \(submitted\)\. Open it/);
    expect(await db().selectFrom('progress_return').select('status').where('commitment_id', '=', s.commitment.id).execute()).toEqual([{ status: 'submitted' }]);
  });

  it('refuses a period outside the contract’s start to the current period', async () => {
    const s = await setup();
    for (const period of ['2027-01-01', '2026-01-01', '2026-07-02', 'nonsense']) {
      expect(await createReturn(db(), s.author, s.commitment.id, input({ period }), {}, s.actor, undefined, TODAY)).toMatchObject({ ok: false, field: 'period' });
    }
  });

  it('refuses another organisation’s commitment (not found) and a closed contract', async () => {
    const s = await setup();
    const other = await setup();
    expect(await createReturn(db(), s.author, other.commitment.id, input(), {}, s.actor, undefined, TODAY)).toEqual({ ok: false, reason: 'not-found' });
    const closed = await setup({ contractStatus: 'completed' });
    expect(await createReturn(db(), closed.author, closed.commitment.id, input(), {}, closed.actor, undefined, TODAY)).toMatchObject({ ok: false, reason: 'closed' });
    expect(await db().selectFrom('progress_return').select('id').where('commitment_id', 'in', [other.commitment.id, closed.commitment.id]).execute()).toEqual([]);
  });

  it('sent twice with the same submission key (double click, two tabs) creates one return', async () => {
    const s = await setup();
    const once = { key: randomUUID(), userId: s.contractor.id };
    const send = () => createReturn(db(), s.author, s.commitment.id, input({ intent: 'submit' }), {}, s.actor, once, TODAY);
    const [a, b] = await Promise.all([send(), send()]);
    expect(a).toEqual(b);
    expect(await db().selectFrom('progress_return').select('id').where('commitment_id', '=', s.commitment.id).execute()).toHaveLength(1);
    expect(await outbox(s.officer.id)).toHaveLength(1);
  });

  it('attaches files and links in the same transaction; a refusal after the files were stored leaves no file behind', async () => {
    const s = await setup();
    const file = storedFile();
    const ok = await createReturn(db(), s.author, s.commitment.id, input(), { files: [file], links: [{ url: 'https://example.org/news', title: 'News story' }] }, s.actor, undefined, TODAY);
    const id = (ok as { id: string }).id;
    const evidence = await db().selectFrom('return_evidence').select(['kind', 'sha256', 'url', 'title']).where('return_id', '=', id).orderBy('kind').execute();
    expect(evidence).toEqual([
      { kind: 'file', sha256: file.sha256, url: null, title: null },
      { kind: 'link', sha256: null, url: 'https://example.org/news', title: 'News story' },
    ]);
    expect(fs.existsSync(evidencePath(file.sha256))).toBe(true);

    // Refused before anything was written (the period is taken): the new file is removed.
    const orphan = storedFile();
    expect((await createReturn(db(), s.author, s.commitment.id, input(), { files: [orphan] }, s.actor, undefined, TODAY)).ok).toBe(false);
    expect(fs.existsSync(evidencePath(orphan.sha256))).toBe(false);

    // Refused after the return row was written (a bad link fails inside the transaction): rolled back, file removed.
    const late = storedFile();
    const refused = await createReturn(db(), s.author, s.commitment.id, input({ period: '2026-04-01' }), { files: [late], links: [{ url: 'javascript:alert(1)', title: 'x' }] }, s.actor, undefined, TODAY);
    expect(refused).toMatchObject({ ok: false, reason: 'invalid', field: 'evidence' });
    expect(fs.existsSync(evidencePath(late.sha256))).toBe(false);
    expect(await db().selectFrom('progress_return').select('id').where('commitment_id', '=', s.commitment.id).where('period_start', '=', '2026-04-01').execute()).toEqual([]);
    expect(await db().selectFrom('return_evidence').select('id').where('sha256', '=', late.sha256).execute()).toEqual([]);
  });
});

describe('the lifecycle: draft → submitted → more information → resubmitted', () => {
  it('edits, submits and resubmits with a reply, writing the thread, audit and notifications', async () => {
    const s = await setup();
    const id = ((await createReturn(db(), s.author, s.commitment.id, input({ narrative: '' }), {}, s.actor, undefined, TODAY)) as { id: string }).id;
    const draft = await returnRow(id);

    expect(await updateDraft(db(), s.author, id, { quantity: 15_000, narrative: 'Fifteen hours', isStory: true, version: draft.updated_at }, {}, s.actor)).toEqual({ ok: true, id });
    expect(await returnRow(id)).toMatchObject({ status: 'draft', quantity_milli: 15_000, narrative: 'Fifteen hours', is_story: 1 });
    // A form loaded before that save is stale.
    expect(await updateDraft(db(), s.author, id, { quantity: 1, version: draft.updated_at }, {}, s.actor)).toMatchObject({ ok: false, reason: 'stale' });

    expect(await submitReturn(db(), s.author, id, s.actor)).toEqual({ ok: true, id });
    const submitted = await returnRow(id);
    expect(submitted.status).toBe('submitted');
    // Once sent it cannot be changed.
    expect(await updateDraft(db(), s.author, id, { quantity: 1 }, {}, s.actor)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await submitReturn(db(), s.author, id, s.actor)).toMatchObject({ ok: false, reason: 'locked' });

    // The officer asks for more information (the review helper's service; set directly here).
    await db().updateTable('progress_return').set({ status: 'more_info_requested', updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    expect(await resubmitReturn(db(), s.author, id, '  ', s.actor)).toMatchObject({ ok: false, reason: 'invalid', field: 'reply' });
    expect(await editReturn(db(), s.author, id, { intent: 'draft', quantity: 16_000 }, {}, s.actor)).toEqual({ ok: true, id });
    expect((await returnRow(id)).status).toBe('more_info_requested');
    expect(await editReturn(db(), s.author, id, { intent: 'draft' }, { remove: ['anything'] }, s.actor)).toMatchObject({ ok: false, field: 'removeEvidence' });

    expect(await resubmitReturn(db(), s.author, id, 'Timesheets attached', s.actor)).toEqual({ ok: true, id });
    const resubmitted = await returnRow(id);
    expect(resubmitted).toMatchObject({ status: 'submitted', quantity_milli: 16_000, first_submitted_at: submitted.first_submitted_at });
    expect(resubmitted.submitted_at! >= submitted.submitted_at!).toBe(true);

    expect((await thread(id)).map((t) => [t.kind, t.body])).toEqual([['submitted', ''], ['resubmitted', 'Timesheets attached']]);
    expect((await audits(id)).map((a) => a.action)).toEqual(['return.created', 'return.updated', 'return.submitted', 'return.updated', 'return.resubmitted']);
    const mail = await outbox(s.officer.id);
    expect(mail.map((m) => m.kind)).toEqual(['return_submitted', 'return_submitted']);
    expect(mail[1]!.subject).toMatch(/resubmitted/);
  });

  it('another organisation cannot edit or submit the return', async () => {
    const s = await setup();
    const other = await setup();
    const r = await makeReturn(s.commitment.id, { status: 'draft', createdBy: s.contractor.id });
    expect(await submitReturn(db(), other.author, r.id, other.actor)).toEqual({ ok: false, reason: 'not-found' });
    expect((await returnRow(r.id)).status).toBe('draft');
  });

  it('removes evidence from a draft, and its file once nothing refers to it', async () => {
    const s = await setup();
    const file = storedFile();
    const id = ((await createReturn(db(), s.author, s.commitment.id, input(), { files: [file] }, s.actor, undefined, TODAY)) as { id: string }).id;
    const [row] = await db().selectFrom('return_evidence').select('id').where('return_id', '=', id).execute();
    expect(await updateDraft(db(), s.author, id, {}, { remove: [row!.id] }, s.actor)).toEqual({ ok: true, id });
    expect(await db().selectFrom('return_evidence').select('id').where('return_id', '=', id).execute()).toEqual([]);
    expect(fs.existsSync(evidencePath(file.sha256))).toBe(false);
  });
});

describe('addComment', () => {
  it('either side may comment; the other side is told; another supplier and VCSE users cannot', async () => {
    const s = await setup();
    const r = await makeReturn(s.commitment.id, { status: 'submitted', createdBy: s.contractor.id });
    const contractorViewer = { id: s.contractor.id, organisationId: s.supplier.id, role: 'contractor' as const };
    const officerViewer = { id: s.officer.id, organisationId: s.officer.organisationId, role: 'officer' as const };

    expect((await addComment(db(), contractorViewer, r.id, 'Photos to follow', s.actor)).ok).toBe(true);
    expect((await addComment(db(), officerViewer, r.id, 'Thanks, <b>noted</b>', s.actor)).ok).toBe(true);
    expect((await thread(r.id)).map((t) => [t.kind, t.body, t.author_id])).toEqual([
      ['comment', 'Photos to follow', s.contractor.id], ['comment', 'Thanks, <b>noted</b>', s.officer.id],
    ]);
    expect((await outbox(s.officer.id)).map((m) => m.kind)).toEqual(['return_comment']);
    expect((await outbox(s.contractor.id)).map((m) => m.kind)).toEqual(['return_comment']);
    expect((await audits(r.id)).map((a) => a.action)).toEqual(['return.commented', 'return.commented']);

    const other = await setup();
    expect(await addComment(db(), { id: other.contractor.id, organisationId: other.supplier.id, role: 'contractor' }, r.id, 'Hello', other.actor)).toEqual({ ok: false, reason: 'not-found' });
    const vcse = await makeUser('vcse');
    expect(await addComment(db(), { id: vcse.id, organisationId: vcse.organisationId, role: 'vcse' }, r.id, 'Hello', other.actor)).toEqual({ ok: false, reason: 'not-found' });
    expect(await thread(r.id)).toHaveLength(2);
  });

  it('a contractor’s comment reaches every active officer and admin when the responsible officer is deactivated', async () => {
    const s = await setup();
    const r = await makeReturn(s.commitment.id, { status: 'submitted', createdBy: s.contractor.id });
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', s.officer.id).execute();
    const standIn = await makeUser('admin');
    expect((await addComment(db(), { id: s.contractor.id, organisationId: s.supplier.id, role: 'contractor' }, r.id, 'Is anyone there?', s.actor)).ok).toBe(true);
    expect(await outbox(s.officer.id)).toEqual([]);
    expect((await outbox(standIn.id)).map((m) => m.kind)).toEqual(['return_comment']);
  });

  it('a draft takes no comments, even from its own contractor: nothing written, the officer not told', async () => {
    const s = await setup();
    const r = await makeReturn(s.commitment.id, { status: 'draft', createdBy: s.contractor.id });
    const contractorViewer = { id: s.contractor.id, organisationId: s.supplier.id, role: 'contractor' as const };
    expect(await addComment(db(), contractorViewer, r.id, 'Nearly done', s.actor)).toEqual({ ok: false, reason: 'locked', message: 'Comments start once the return is submitted' });
    expect(await thread(r.id)).toEqual([]);
    expect(await audits(r.id)).toEqual([]);
    expect(await outbox(s.officer.id)).toEqual([]);
  });

  it('staff cannot see or comment on a draft', async () => {
    const s = await setup();
    const r = await makeReturn(s.commitment.id, { status: 'draft', createdBy: s.contractor.id });
    expect(await addComment(db(), { id: s.officer.id, organisationId: s.officer.organisationId, role: 'officer' }, r.id, 'Hi', s.actor)).toEqual({ ok: false, reason: 'not-found' });
  });
});
