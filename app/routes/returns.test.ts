import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeReturn, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { evidencePath } from '~/modules/returns/evidence-store.server';
import { loadEnv } from '~/utils/env.server';
import * as newPage from './contracts.$contractId.commitments.$commitmentId.returns.new';
import * as returnPage from './returns.$returnId._index';
import * as editPage from './returns.$returnId.edit';
import * as listPage from './returns._index';

type Reply = { status?: string; error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> };

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-return-routes-'));
  loadEnv();
});

async function signedIn(role: 'officer' | 'admin' | 'contractor' | 'vcse', organisationId?: string) {
  const user = await makeUser(role, { organisationId });
  return { ...user, cookie: await cookieFor(user.id) };
}

/** A supplier with a contractor user, an active contract from April 2026 and one commitment. */
async function world() {
  const supplier = await makeOrganisation('supplier');
  const contractor = await signedIn('contractor', supplier.id);
  const officer = await signedIn('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, startDate: '2026-04-01', endDate: '2028-03-31' });
  const measure = await makeMeasure({ unit: 'hours' });
  const commitment = await makeCommitment(contract.id, measure.id, { targetMilli: 100_000 });
  const newPath = `/contracts/${contract.id}/commitments/${commitment.id}/returns/new`;
  const newParams = { contractId: contract.id, commitmentId: commitment.id };
  return { supplier, contractor, officer, contract, measure, commitment, newPath, newParams };
}

const returnsOf = (commitmentId: string) => getDb().selectFrom('progress_return').selectAll().where('commitment_id', '=', commitmentId).execute();

const validForm = (over: Record<string, string> = {}) => ({
  submissionKey: randomUUID(), intent: 'submit', period: '2026-04-01', quantity: '12.5', narrative: 'Mentoring sessions at Eastfield library', isStory: 'on', ...over,
});

function multipart(pathname: string, cookie: string, fields: Record<string, string>, files: Array<{ name: string; data: Buffer; type: string }>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('evidence', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  return new Request(`http://localhost:3000${pathname}`, { method: 'POST', headers: { Cookie: cookie }, body: form });
}

describe('new return page', () => {
  it('is for the contractor of the contract’s supplier: another supplier’s contract or commitment is a 404', async () => {
    const w = await world();
    const page = await run(newPage.loader, makeRequest(w.newPath, { cookie: w.contractor.cookie }), w.newParams);
    expect(page.status).toBe(200);
    const data = page.data as { periods: Array<{ value: string; label: string }>; commitment: { unit: string }; submissionKey: string };
    expect(data.commitment.unit).toBe('hours');
    expect(data.periods.at(-1)).toMatchObject({ value: '2026-04-01' });
    expect(data.periods[0]!.label).toMatch(/\(due /);

    const other = await world();
    expect((await run(newPage.loader, makeRequest(other.newPath, { cookie: w.contractor.cookie }), other.newParams)).status).toBe(404);
    // Own contract, another contract's commitment: 404 too.
    const mixed = { contractId: w.contract.id, commitmentId: other.commitment.id };
    expect((await run(newPage.loader, makeRequest(w.newPath, { cookie: w.contractor.cookie }), mixed)).status).toBe(404);
    expect((await run(newPage.action, makeRequest(other.newPath, { method: 'POST', cookie: w.contractor.cookie, form: validForm() }), other.newParams)).status).toBe(404);
    expect(await returnsOf(other.commitment.id)).toEqual([]);

    const vcse = await signedIn('vcse');
    expect((await run(newPage.loader, makeRequest(w.newPath, { cookie: vcse.cookie }), w.newParams)).status).toBe(403);
    expect((await run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.officer.cookie, form: validForm() }), w.newParams)).status).toBe(403);
    const anonymous = await run(newPage.action, makeRequest(w.newPath, { method: 'POST', form: validForm() }), w.newParams);
    expect(anonymous.location).toMatch(/^\/sign-in/);
  });

  it('submits a return and lands on its page; a second submit of the same form creates nothing more', async () => {
    const w = await world();
    const form = validForm();
    const send = () => run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.contractor.cookie, form }), w.newParams);
    const [first, second] = await Promise.all([send(), send()]);
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/returns\/[0-9a-f-]{36}\?done=submitted$/);
    expect(second.location).toBe(first.location);
    const rows = await returnsOf(w.commitment.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'submitted', quantity_milli: 12_500, is_story: 1, period_end: '2026-06-30' });
  });

  it('saves a draft without a narrative', async () => {
    const w = await world();
    const outcome = await run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.contractor.cookie, form: validForm({ intent: 'draft', narrative: '' }) }), w.newParams);
    expect(outcome.location).toMatch(/\?done=saved$/);
    expect((await returnsOf(w.commitment.id))[0]).toMatchObject({ status: 'draft', narrative: '' });
  });

  it.each([
    ['missing quantity', { quantity: '' }, 'quantity', 'Enter the quantity delivered in this period'],
    ['negative quantity', { quantity: '-2' }, 'quantity', 'Quantity must be 0 or more'],
    ['too many decimals', { quantity: '1.2345' }, 'quantity', 'Quantity must have no more than 3 decimal places'],
    ['words for a quantity', { quantity: 'ten' }, 'quantity', 'Enter the quantity as a number, like 12 or 2.5 (up to 3 decimal places)'],
    ['missing narrative on submit', { narrative: '' }, 'narrative', 'Describe what was delivered in this period'],
    ['narrative too long', { narrative: 'x'.repeat(5001) }, 'narrative', 'Narrative must be 5000 characters or fewer'],
    ['missing period', { period: '' }, 'period', 'Select the reporting period'],
    ['a period in the future', { period: '2030-04-01' }, 'period', 'Select a reporting period from the list'],
    ['a bad link', { linkUrl1: 'javascript:alert(1)', linkTitle1: 'x' }, 'linkUrl1', 'Enter a link that starts with https:// or http://'],
    ['no intent', { intent: 'publish' }, 'intent', 'Choose Save as draft or Submit return'],
  ])('%s: 400 with the message by the field, nothing written', async (_name, over, field, message) => {
    const w = await world();
    const outcome = await run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.contractor.cookie, form: validForm(over) }), w.newParams);
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.[field]).toEqual([message]);
    expect(await returnsOf(w.commitment.id)).toEqual([]);
  });

  it('keeps script tags as typed text and refuses a period that already has a return, pointing to it', async () => {
    const w = await world();
    const script = '<script>alert("x")</script> & more';
    const bad = await run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.contractor.cookie, form: validForm({ narrative: script, quantity: '-1' }) }), w.newParams);
    expect(bad.status).toBe(400);
    expect((bad.data as Reply).initialValue?.narrative).toBe(script);

    expect((await run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.contractor.cookie, form: validForm({ narrative: script }) }), w.newParams)).status).toBe(303);
    expect((await returnsOf(w.commitment.id))[0]!.narrative).toBe(script);
    const again = await run(newPage.action, makeRequest(w.newPath, { method: 'POST', cookie: w.contractor.cookie, form: validForm() }), w.newParams);
    expect(again.status).toBe(400);
    expect((again.data as Reply).error?.period?.[0]).toMatch(/A return for Apr to Jun 2026 already exists for this commitment \(submitted\)/);
    const page = await run(newPage.loader, makeRequest(w.newPath, { cookie: w.contractor.cookie }), w.newParams);
    const data = page.data as { existing: Array<{ period: string }>; periods: Array<{ value: string; label: string }> };
    expect(data.existing.map((e) => e.period)).toEqual(['Apr to Jun 2026']);
    expect(data.periods.find((p) => p.value === '2026-04-01')!.label).toBe('Apr to Jun 2026 (return already submitted)');
  });

  it('accepts evidence files sent as multipart, and stores nothing when the form is refused', async () => {
    const w = await world();
    const pdf = Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
    const refused = await run(newPage.action, multipart(w.newPath, w.contractor.cookie, validForm({ quantity: '1.23456' }), [{ name: 'timesheet.pdf', data: pdf, type: 'application/pdf' }]), w.newParams);
    expect(refused.status).toBe(400);
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(fs.existsSync(evidencePath(sha))).toBe(false);

    const ok = await run(newPage.action, multipart(w.newPath, w.contractor.cookie, validForm({ linkUrl1: 'https://example.org/story', linkTitle1: 'Local news' }), [{ name: 'timesheet.pdf', data: pdf, type: 'application/pdf' }]), w.newParams);
    expect(ok.status).toBe(303);
    const [row] = await returnsOf(w.commitment.id);
    const evidence = await getDb().selectFrom('return_evidence').select(['kind', 'file_name', 'sha256', 'url']).where('return_id', '=', row!.id).orderBy('kind').execute();
    expect(evidence).toEqual([
      { kind: 'file', file_name: 'timesheet.pdf', sha256: sha, url: null },
      { kind: 'link', file_name: null, sha256: null, url: 'https://example.org/story' },
    ]);
    expect(fs.existsSync(evidencePath(sha))).toBe(true);
  });
});

describe('a refused upload', () => {
  it('keeps what was typed when a file is refused for its content (a PNG named .pdf)', async () => {
    const w = await world();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const typed = 'Six apprentices started <b>on site</b>';
    const refused = await run(newPage.action, multipart(w.newPath, w.contractor.cookie, validForm({ narrative: typed }), [{ name: 'photo.pdf', data: png, type: 'application/pdf' }]), w.newParams);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const reply = refused.data as Reply & { initialValue?: Record<string, unknown> };
    expect(reply.error?.evidence?.[0]).toBeTruthy();
    expect(reply.initialValue?.narrative).toBe(typed);
    expect(await returnsOf(w.commitment.id)).toHaveLength(0);
  });
});

describe('a return’s page', () => {
  it('shows the contractor’s own return and staff submitted ones; another supplier’s is a 404; drafts are private', async () => {
    const w = await world();
    const r = await makeReturn(w.commitment.id, { status: 'submitted', createdBy: w.contractor.id });
    const path = `/returns/${r.id}`;
    const own = await run(returnPage.loader, makeRequest(path, { cookie: w.contractor.cookie }), { returnId: r.id });
    expect(own.status).toBe(200);
    expect(own.data).toMatchObject({ canEdit: false, canReview: false, ret: { period: 'Apr to Jun 2026', quantity: '1 hours' } });
    const staff = await run(returnPage.loader, makeRequest(path, { cookie: w.officer.cookie }), { returnId: r.id });
    expect(staff.data).toMatchObject({ canEdit: false, canReview: true });

    const other = await signedIn('contractor', (await makeOrganisation('supplier')).id);
    expect((await run(returnPage.loader, makeRequest(path, { cookie: other.cookie }), { returnId: r.id })).status).toBe(404);
    expect((await run(returnPage.action, makeRequest(path, { method: 'POST', cookie: other.cookie, form: { body: 'Hi' } }), { returnId: r.id })).status).toBe(404);
    expect((await run(returnPage.loader, makeRequest(path, { cookie: (await signedIn('vcse')).cookie }), { returnId: r.id })).status).toBe(403);
    expect((await run(returnPage.loader, makeRequest(path), { returnId: r.id })).location).toMatch(/^\/sign-in/);

    const draft = await makeReturn(w.commitment.id, { status: 'draft', periodStart: '2026-07-01', periodEnd: '2026-09-30', createdBy: w.contractor.id });
    expect((await run(returnPage.loader, makeRequest(`/returns/${draft.id}`, { cookie: w.officer.cookie }), { returnId: draft.id })).status).toBe(404);
    expect((await run(returnPage.loader, makeRequest(`/returns/${draft.id}`, { cookie: w.contractor.cookie }), { returnId: draft.id })).data).toMatchObject({ canEdit: true });
  });

  it('adds comments from either side to the thread, oldest first; an empty or too long comment is a 400', async () => {
    const w = await world();
    const r = await makeReturn(w.commitment.id, { status: 'submitted', createdBy: w.contractor.id });
    const path = `/returns/${r.id}`;
    const post = (cookie: string, body: string) => run(returnPage.action, makeRequest(path, { method: 'POST', cookie, form: { body } }), { returnId: r.id });
    expect((await post(w.contractor.cookie, 'Photos attached <b>soon</b>')).location).toBe(`/returns/${r.id}?done=commented#thread`);
    expect((await post(w.officer.cookie, 'Thank you')).status).toBe(303);
    expect((await post(w.contractor.cookie, '   ')).status).toBe(400);
    const tooLong = await post(w.contractor.cookie, 'x'.repeat(5001));
    expect((tooLong.data as Reply).error?.body).toEqual(['Comment must be 5000 characters or fewer']);
    const page = await run(returnPage.loader, makeRequest(path, { cookie: w.contractor.cookie }), { returnId: r.id });
    expect((page.data as { thread: Array<{ body: string; author: string }> }).thread.map((t) => [t.body, t.author])).toEqual([
      ['Photos attached <b>soon</b>', 'Test contractor'], ['Thank you', 'Test officer'],
    ]);
  });

  it('has no comment form on a draft, and a comment posted to one is refused (409): nobody is told of a page they cannot open', async () => {
    const w = await world();
    const draft = await makeReturn(w.commitment.id, { status: 'draft', createdBy: w.contractor.id });
    const path = `/returns/${draft.id}`;
    const page = await run(returnPage.loader, makeRequest(path, { cookie: w.contractor.cookie }), { returnId: draft.id });
    expect(page.data).toMatchObject({ commentsClosed: 'Comments start once the return is submitted' });
    const posted = await run(returnPage.action, makeRequest(path, { method: 'POST', cookie: w.contractor.cookie, form: { body: 'Nearly done' } }), { returnId: draft.id });
    expect(posted.status).toBe(409);
    expect((posted.data as Reply).error?.['']).toEqual(['Comments start once the return is submitted']);
    expect(await getDb().selectFrom('return_comment').select('id').where('return_id', '=', draft.id).execute()).toEqual([]);
    expect(await getDb().selectFrom('notification').select('id').where('to_user_id', '=', w.officer.id).execute()).toEqual([]);

    await getDb().updateTable('progress_return').set({ status: 'submitted', submitted_at: new Date().toISOString() }).where('id', '=', draft.id).execute();
    expect((await run(returnPage.loader, makeRequest(path, { cookie: w.contractor.cookie }), { returnId: draft.id })).data).toMatchObject({ commentsClosed: null });
  });
});

describe('editing a return', () => {
  it('a submitted return cannot be edited (409); more information is answered by resubmitting with a reply', async () => {
    const w = await world();
    const r = await makeReturn(w.commitment.id, { status: 'submitted', createdBy: w.contractor.id });
    const path = `/returns/${r.id}/edit`;
    const page = await run(editPage.loader, makeRequest(path, { cookie: w.contractor.cookie }), { returnId: r.id });
    expect((page.data as { locked: string }).locked).toMatch(/waiting for an officer’s review/);
    const form = { intent: 'submit', quantity: '3', narrative: 'More' };
    expect((await run(editPage.action, makeRequest(path, { method: 'POST', cookie: w.contractor.cookie, form }), { returnId: r.id })).status).toBe(409);

    await getDb().updateTable('progress_return').set({ status: 'more_info_requested' }).where('id', '=', r.id).execute();
    const noReply = await run(editPage.action, makeRequest(path, { method: 'POST', cookie: w.contractor.cookie, form: { ...form, intent: 'resubmit' } }), { returnId: r.id });
    expect(noReply.status).toBe(400);
    expect((noReply.data as Reply).error?.reply).toEqual(['Enter your reply to the officer’s request for more information']);
    const done = await run(editPage.action, makeRequest(path, { method: 'POST', cookie: w.contractor.cookie, form: { ...form, intent: 'resubmit', reply: 'Timesheets attached' } }), { returnId: r.id });
    expect(done.location).toBe(`/returns/${r.id}?done=resubmitted`);
    expect((await returnsOf(w.commitment.id))[0]).toMatchObject({ status: 'submitted', quantity_milli: 3000, narrative: 'More' });

    const other = await signedIn('contractor', (await makeOrganisation('supplier')).id);
    expect((await run(editPage.loader, makeRequest(path, { cookie: other.cookie }), { returnId: r.id })).status).toBe(404);
    expect((await run(editPage.action, makeRequest(path, { method: 'POST', cookie: other.cookie, form }), { returnId: r.id })).status).toBe(404);
  });
});

describe('the contractor’s returns list', () => {
  it('lists only their organisation’s returns, newest first, filtered by status and paged', async () => {
    const w = await world();
    const older = await makeReturn(w.commitment.id, { status: 'submitted', createdBy: w.contractor.id });
    const newer = await makeReturn(w.commitment.id, { status: 'draft', periodStart: '2026-07-01', periodEnd: '2026-09-30', createdBy: w.contractor.id });
    const other = await world();
    await makeReturn(other.commitment.id, { status: 'submitted' });
    const list = await run(listPage.loader, makeRequest('/returns', { cookie: w.contractor.cookie }));
    expect((list.data as { returns: Array<{ id: string }> }).returns.map((r) => r.id)).toEqual([newer.id, older.id]);
    const drafts = await run(listPage.loader, makeRequest('/returns?status=draft&page=abc', { cookie: w.contractor.cookie }));
    expect(drafts.data).toMatchObject({ total: 1, page: 1, status: 'draft', returns: [{ id: newer.id }] });
    const page2 = await run(listPage.loader, makeRequest('/returns?page=2', { cookie: w.contractor.cookie }));
    expect(page2.data).toMatchObject({ total: 2, page: 2, returns: [] });
    expect((await run(listPage.loader, makeRequest('/returns', { cookie: w.officer.cookie }))).status).toBe(403);
  });
});
