import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeReturn, makeTempDataDir, samples, uploadRequest } from '~/modules/returns/evidence-test-samples';
import { attachFiles, attachLink, evidencePath, readReturnUpload } from '~/modules/returns/evidence-upload.server';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run, testContext } from '../../tests/support/requests';
import { loader } from './returns.$returnId.evidence.$evidenceId';

makeTempDataDir();

let ret: Awaited<ReturnType<typeof makeReturn>>;
let fileId: string;
let linkId: string;
let sha: string;

beforeAll(async () => {
  ret = await makeReturn();
  const upload = await readReturnUpload(uploadRequest([{ name: 'Zoë report.pdf', data: samples.pdf }]));
  if (!upload.ok) throw new Error(upload.message);
  await attachFiles(getDb(), ret.id, upload.files, ret.contractor.id);
  await attachLink(getDb(), ret.id, { url: 'https://example.org/story' }, ret.contractor.id);
  const rows = await getDb().selectFrom('return_evidence').select(['id', 'kind', 'sha256']).where('return_id', '=', ret.id).execute();
  fileId = rows.find((r) => r.kind === 'file')!.id;
  linkId = rows.find((r) => r.kind === 'link')!.id;
  sha = upload.files[0]!.sha256;
  // Sent, so that staff may see it (a draft is the contractor's alone).
  await setStatus(ret.id, 'submitted');
});

const setStatus = (returnId: string, status: 'draft' | 'submitted') =>
  getDb().updateTable('progress_return').set({ status }).where('id', '=', returnId).execute();

const url = (returnId: string, evidenceId: string) => `/returns/${returnId}/evidence/${evidenceId}`;
const download = async (cookie: string | undefined, returnId = ret.id, evidenceId = fileId) =>
  run(loader, makeRequest(url(returnId, evidenceId), { cookie }), { returnId, evidenceId });

describe('evidence download', () => {
  it('streams the file as an attachment with safe headers (officer)', async () => {
    const officer = await makeUser('officer');
    const response = await loader({ request: makeRequest(url(ret.id, fileId), { cookie: await cookieFor(officer.id) }), params: { returnId: ret.id, evidenceId: fileId }, context: testContext });
    expect(response.status).toBe(200);
    expect(response.body).toBeInstanceOf(ReadableStream);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(samples.pdf.length),
      'content-disposition': `attachment; filename="Zo_ report.pdf"; filename*=UTF-8''Zo%C3%AB%20report.pdf`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    expect(Buffer.from(await response.arrayBuffer()).equals(samples.pdf)).toBe(true);
  });

  it('serves admins and the supplier’s own contractors', async () => {
    const admin = await makeUser('admin');
    const colleague = await makeUser('contractor', { organisationId: ret.supplierId });
    for (const user of [admin, ret.contractor, colleague]) {
      const outcome = await download(await cookieFor(user.id));
      expect(outcome.status, user.role).toBe(200);
      expect(outcome.data).toBe(samples.pdf.toString('utf8'));
    }
  });

  it('answers 404 to a contractor of another supplier, as for an unknown id', async () => {
    const stranger = await makeUser('contractor');
    const cookie = await cookieFor(stranger.id);
    expect((await download(cookie)).status).toBe(404);
    expect((await download(cookie, ret.id, crypto.randomUUID())).status).toBe(404);
  });

  it('answers 403 to VCSE users and sends anonymous visitors to sign in', async () => {
    const vcse = await makeUser('vcse');
    expect((await download(await cookieFor(vcse.id))).status).toBe(403);
    const anonymous = await download(undefined);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/sign-in?redirectTo=${encodeURIComponent(url(ret.id, fileId))}`);
  });

  it('has no download for a link, nor for a file id under another return', async () => {
    const officer = await cookieFor((await makeUser('officer')).id);
    expect((await download(officer, ret.id, linkId)).status).toBe(404);
    const other = await makeReturn();
    expect((await download(officer, other.id, fileId)).status).toBe(404);
  });

  it('answers 404 to staff for a draft’s file, as on the draft’s page; its contractors still download it', async () => {
    const draft = await makeReturn();
    const upload = await readReturnUpload(uploadRequest([{ name: 'draft.pdf', data: samples.pdf }]));
    if (!upload.ok) throw new Error(upload.message);
    await attachFiles(getDb(), draft.id, upload.files, draft.contractor.id);
    const [row] = await getDb().selectFrom('return_evidence').select('id').where('return_id', '=', draft.id).execute();
    for (const role of ['officer', 'admin'] as const) {
      expect((await download(await cookieFor((await makeUser(role)).id), draft.id, row!.id)).status, role).toBe(404);
    }
    expect((await download(await cookieFor(draft.contractor.id), draft.id, row!.id)).status).toBe(200);
    await setStatus(draft.id, 'submitted');
    expect((await download(await cookieFor((await makeUser('officer')).id), draft.id, row!.id)).status).toBe(200);
  });

  it('answers 404, not 500, when the stored file is missing', async () => {
    const officer = await cookieFor((await makeUser('officer')).id);
    const file = evidencePath(sha);
    const saved = fs.readFileSync(file);
    fs.rmSync(file);
    try {
      expect((await download(officer)).status).toBe(404);
    } finally {
      fs.writeFileSync(file, saved);
    }
  });
});
