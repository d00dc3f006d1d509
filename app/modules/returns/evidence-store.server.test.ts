import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { MAX_RETURN_EVIDENCE_BYTES } from './evidence-limits';
import { makeReturn, makeTempDataDir, samples, uploadRequest, type Part } from './evidence-test-samples';
import { attachFiles, attachLink, discardUnreferenced, evidencePath, readReturnUpload, type StoredFile } from './evidence-upload.server';
import { findDownloadableEvidence, returnEvidenceBytes } from './evidence-store.server';

makeTempDataDir();

async function store(files: Part[]): Promise<StoredFile[]> {
  const result = await readReturnUpload(uploadRequest(files));
  if (!result.ok) throw new Error(result.message);
  return result.files;
}

const rows = (returnId: string) => getDb().selectFrom('return_evidence').selectAll().where('return_id', '=', returnId).orderBy('created_at').execute();

describe('attachFiles', () => {
  it('writes one file row per file with the sanitised name, type, size and hash', async () => {
    const ret = await makeReturn();
    const files = await store([{ name: '../report.pdf', data: samples.pdf }, { name: 'photo.png', data: samples.png }]);
    const result = await getDb().transaction().execute((tx) => attachFiles(tx, ret.id, files, ret.contractor.id));
    expect(result).toEqual({ ok: true });
    const saved = await rows(ret.id);
    expect(saved.map((r) => [r.kind, r.file_name, r.content_type, r.size_bytes, r.sha256, r.added_by])).toEqual([
      ['file', 'report.pdf', 'application/pdf', samples.pdf.length, files[0]!.sha256, ret.contractor.id],
      ['file', 'photo.png', 'image/png', samples.png.length, files[1]!.sha256, ret.contractor.id],
    ]);
    expect(await returnEvidenceBytes(getDb(), ret.id)).toBe(samples.pdf.length + samples.png.length);
  });

  it('skips content already attached to the same return', async () => {
    const ret = await makeReturn();
    const first = await store([{ name: 'a.pdf', data: samples.pdf }]);
    await attachFiles(getDb(), ret.id, first, ret.contractor.id);
    const again = await store([{ name: 'renamed.pdf', data: samples.pdf }]);
    expect(await attachFiles(getDb(), ret.id, again, ret.contractor.id)).toEqual({ ok: true });
    expect(await rows(ret.id)).toHaveLength(1);
  });

  it(`refuses, writing nothing, when the return's files would pass ${MAX_RETURN_EVIDENCE_BYTES / 1024 / 1024} MB`, async () => {
    const ret = await makeReturn();
    const [pdf] = await store([{ name: 'a.pdf', data: samples.pdf }]);
    await attachFiles(getDb(), ret.id, [pdf!], ret.contractor.id);
    const huge: StoredFile = { sha256: 'f'.repeat(64), sizeBytes: MAX_RETURN_EVIDENCE_BYTES, contentType: 'application/pdf', fileName: 'huge.pdf' };
    const result = await attachFiles(getDb(), ret.id, [huge], ret.contractor.id);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('50 MB');
    expect(await rows(ret.id)).toHaveLength(1);
  });

  it('refuses a file that is no longer on disk', async () => {
    const ret = await makeReturn();
    const gone: StoredFile = { sha256: 'e'.repeat(64), sizeBytes: 10, contentType: 'application/pdf', fileName: 'gone.pdf' };
    const result = await attachFiles(getDb(), ret.id, [gone], ret.contractor.id);
    expect(!result.ok && result.message).toBe('gone.pdf could not be saved. Select it again.');
  });
});

describe('discardUnreferenced', () => {
  it('after a rolled-back transaction, deletes the files no row refers to and keeps the rest', async () => {
    const ret = await makeReturn();
    const [kept] = await store([{ name: 'kept.pdf', data: samples.pdf }]);
    await attachFiles(getDb(), ret.id, [kept!], ret.contractor.id);

    const files = await store([{ name: 'kept-again.pdf', data: samples.pdf }, { name: 'new.jpg', data: samples.jpeg }]);
    await expect(
      getDb().transaction().execute(async (tx) => {
        await attachFiles(tx, ret.id, files, ret.contractor.id);
        throw new Error('something later in the service failed');
      }),
    ).rejects.toThrow('something later');
    await discardUnreferenced(getDb(), files);

    expect(fs.existsSync(evidencePath(kept!.sha256))).toBe(true); // still referenced by the first row
    expect(fs.existsSync(evidencePath(files[1]!.sha256))).toBe(false);
    expect(await rows(ret.id)).toHaveLength(1);
  });

  it('leaves a file another request has stored and not yet attached', async () => {
    const ret = await makeReturn();
    const mine = await store([{ name: 'mine.docx', data: samples.docx }]);
    const theirs = await store([{ name: 'theirs.docx', data: samples.docx }]);
    await discardUnreferenced(getDb(), mine);
    expect(fs.existsSync(evidencePath(theirs[0]!.sha256))).toBe(true);
    await attachFiles(getDb(), ret.id, theirs, ret.contractor.id);
    await discardUnreferenced(getDb(), mine); // a second discard is harmless
    expect(fs.existsSync(evidencePath(theirs[0]!.sha256))).toBe(true);
  });

  it('deletes a stored file once every request has let go of it, and tidies empty folders', async () => {
    const a = await store([{ name: 'a.xlsx', data: samples.xlsx }]);
    const b = await store([{ name: 'b.xlsx', data: samples.xlsx }]);
    await discardUnreferenced(getDb(), a);
    await discardUnreferenced(getDb(), b);
    const file = evidencePath(a[0]!.sha256);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}/..`)).toBe(false);
    await discardUnreferenced(getDb(), b); // already gone: no error
  });
});

describe('attachLink', () => {
  it('stores a normalised link with its title', async () => {
    const ret = await makeReturn();
    const result = await attachLink(getDb(), ret.id, { url: 'www.example.org/news/story', title: '  Local paper  ' }, ret.contractor.id);
    expect(result.ok).toBe(true);
    const [row] = await rows(ret.id);
    expect(row).toMatchObject({ kind: 'link', url: 'https://www.example.org/news/story', title: 'Local paper', sha256: null, file_name: null });
  });

  it('refuses a javascript: link, writing nothing', async () => {
    const ret = await makeReturn();
    const result = await attachLink(getDb(), ret.id, { url: 'javascript:alert(1)' }, ret.contractor.id);
    expect(result.ok).toBe(false);
    expect(await rows(ret.id)).toHaveLength(0);
  });
});

describe('findDownloadableEvidence', () => {
  it('scopes a contractor to their own supplier and never returns a link', async () => {
    const ret = await makeReturn();
    const other = await makeReturn();
    const files = await store([{ name: 'a.pdf', data: samples.pdf }]);
    await attachFiles(getDb(), ret.id, files, ret.contractor.id);
    await attachLink(getDb(), ret.id, { url: 'https://example.org' }, ret.contractor.id);
    const [file, link] = await rows(ret.id);
    const find = (evidenceId: string, supplierId: string | null, returnId = ret.id) => findDownloadableEvidence(getDb(), { returnId, evidenceId, supplierId });
    expect(await find(file!.id, ret.supplierId)).toMatchObject({ fileName: 'a.pdf', contentType: 'application/pdf' });
    // Staff see nothing of a draft: it is the contractor's private work until it is sent.
    expect(await find(file!.id, null)).toBeNull();
    await getDb().updateTable('progress_return').set({ status: 'submitted' }).where('id', '=', ret.id).execute();
    expect(await find(file!.id, null)).not.toBeNull();
    expect(await find(file!.id, other.supplierId)).toBeNull();
    expect(await find(file!.id, null, other.id)).toBeNull();
    expect(await find(link!.id, null)).toBeNull();
  });
});
