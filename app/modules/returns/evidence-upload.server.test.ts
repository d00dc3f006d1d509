import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { DAY } from '~/utils/time';
import { EVIDENCE_TYPES } from './evidence-limits';
import { sweepEvidence } from './evidence-sweep.server';
import { filesUnder, samples, uploadForm, uploadRequest, makeTempDataDir, type Part } from './evidence-test-samples';
import { evidencePath, MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, readReturnUpload, type ReturnUpload } from './evidence-upload.server';

const dataDir = makeTempDataDir();
const tmpDir = path.join(dataDir, 'tmp');
const evidenceDir = path.join(dataDir, 'evidence');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

afterEach(() => {
  // No request may leave anything behind in tmp, whatever happened to it.
  expect(filesUnder(tmpDir)).toEqual([]);
  fs.rmSync(evidenceDir, { recursive: true, force: true });
});

async function upload(files: Part[], fields?: Record<string, string>): Promise<ReturnUpload> {
  return readReturnUpload(uploadRequest(files, { fields }));
}

function refused(result: ReturnUpload) {
  if (result.ok) throw new Error(`expected a refusal, got ${result.files.length} files`);
  return result;
}

describe('accepted files', () => {
  it.each([
    ['report.pdf', samples.pdf, 'pdf'],
    ['photo.PNG', samples.png, 'png'],
    ['photo.jpg', samples.jpeg, 'jpeg'],
    ['photo.jpeg', samples.jpeg, 'jpeg'],
    ['letter.docx', samples.docx, 'docx'],
    ['hours.xlsx', samples.xlsx, 'xlsx'],
    ['hours.csv', samples.csv, 'csv'],
  ] as const)('%s is stored by its hash with the type its content shows', async (name, data, kind) => {
    const result = await upload([{ name, data, type: 'application/x-anything' }], { narrative: 'We did it' });
    if (!result.ok) throw new Error(result.message);
    expect(result.fields.get('narrative')).toBe('We did it');
    expect(result.files).toEqual([{ sha256: sha(data), sizeBytes: data.length, contentType: EVIDENCE_TYPES[kind].contentType, fileName: name }]);
    const stored = evidencePath(sha(data));
    expect(stored).toBe(path.join(evidenceDir, sha(data).slice(0, 2), sha(data).slice(2, 4), sha(data)));
    expect(fs.readFileSync(stored).equals(data)).toBe(true);
  });

  it('takes several files in one submission and stores an identical file once', async () => {
    const result = await upload([{ name: 'a.pdf', data: samples.pdf }, { name: 'b.png', data: samples.png }, { name: 'copy.pdf', data: samples.pdf }]);
    if (!result.ok) throw new Error(result.message);
    expect(result.files.map((f) => f.fileName)).toEqual(['a.pdf', 'b.png', 'copy.pdf']);
    const again = await upload([{ name: 'again.pdf', data: samples.pdf }]);
    expect(again.ok).toBe(true);
    expect(filesUnder(evidenceDir).sort()).toEqual([sha(samples.pdf), sha(samples.png)].map((h) => path.join(h.slice(0, 2), h.slice(2, 4), h)).sort());
  });

  it('makes an identical file already stored look new, so the day-old sweep cannot delete it before it is attached', async () => {
    expect((await upload([{ name: 'first.pdf', data: samples.pdf }])).ok).toBe(true);
    const stored = evidencePath(sha(samples.pdf));
    // Left unreferenced for two days (a crash, an abandoned form): the sweep's to take.
    const old = new Date(Date.now() - 2 * DAY);
    fs.utimesSync(stored, old, old);

    const again = await upload([{ name: 'again.pdf', data: samples.pdf }]);
    expect(again.ok).toBe(true);
    expect(Date.now() - fs.statSync(stored).mtimeMs).toBeLessThan(60_000);
    expect(await sweepEvidence(getDb())).toMatchObject({ orphans: 0 });
    expect(fs.readFileSync(stored).equals(samples.pdf)).toBe(true);
  });

  it('adds the extension the content shows when the name has none', async () => {
    const result = await upload([{ name: 'scan', data: samples.pdf }]);
    expect(result.ok && result.files[0]?.fileName).toBe('scan.pdf');
  });

  it('skips an empty file input (no file chosen) and keeps the fields', async () => {
    const result = await upload([{ name: '', data: Buffer.alloc(0) }], { quantity: '3' });
    if (!result.ok) throw new Error(result.message);
    expect(result.files).toEqual([]);
    expect(result.fields.get('quantity')).toBe('3');
  });

  it('reads a URL-encoded form as fields only', async () => {
    const request = new Request('http://localhost:3000/upload', { method: 'POST', body: new URLSearchParams({ narrative: 'Hello', intent: 'save' }) });
    const result = await readReturnUpload(request);
    if (!result.ok) throw new Error(result.message);
    expect(result.files).toEqual([]);
    expect(Object.fromEntries(result.fields)).toEqual({ narrative: 'Hello', intent: 'save' });
  });

  it('drains and ignores files sent under another field name', async () => {
    const result = await upload([{ name: 'other.pdf', data: samples.pdf, field: 'attachment' }]);
    expect(result.ok && result.files).toEqual([]);
    expect(filesUnder(evidenceDir)).toEqual([]);
  });
});

describe('file names', () => {
  it.each([
    ['../../etc/passwd.pdf', 'passwd.pdf'],
    ['C:\\Users\\me\\Documents\\report.pdf', 'report.pdf'],
    ['invoice\u202Efdp.pdf', 'invoicefdp.pdf'],
    ['tab\there.pdf', 'tab here.pdf'],
    ['...hidden.pdf', 'hidden.pdf'],
    ['a<b>:c?.pdf', 'a_b__c_.pdf'],
    [`${'x'.repeat(300)}.pdf`, `${'x'.repeat(196)}.pdf`],
  ])('%j is stored as %j, under its hash', async (raw, expected) => {
    const result = await upload([{ name: raw, data: samples.pdf }]);
    if (!result.ok) throw new Error(result.message);
    expect(result.files[0]!.fileName).toBe(expected);
    expect(result.files[0]!.fileName.length).toBeLessThanOrEqual(200);
    // Nothing was written anywhere but the hash's place.
    expect(filesUnder(dataDir).filter((f) => !f.endsWith('.sqlite'))).toEqual([path.join('evidence', sha(samples.pdf).slice(0, 2), sha(samples.pdf).slice(2, 4), sha(samples.pdf))]);
  });
});

describe('file names with control characters', () => {
  function rawRequest(disposition: string, data: Buffer): Request {
    const body = Buffer.concat([
      Buffer.from(`--XyZ\r\nContent-Disposition: form-data; name="evidence"; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`, 'latin1'),
      data,
      Buffer.from('\r\n--XyZ--\r\n', 'latin1'),
    ]);
    return new Request('http://localhost:3000/upload', { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' } });
  }

  it('an encoded name (filename*) with NUL, BEL, newline and a path: sanitised, stored under its hash', async () => {
    const result = await readReturnUpload(rawRequest("filename*=UTF-8''..%2F..%2Frep%07ort%00%0A%01%E2%80%AE.pdf", samples.pdf));
    if (!result.ok) throw new Error(result.message);
    expect(result.files[0]!.fileName).toBe('report.pdf');
    expect(filesUnder(evidenceDir)).toHaveLength(1);
  });

  it('raw control characters in the part header: 400, nothing stored', async () => {
    const result = refused(await readReturnUpload(rawRequest('filename="rep\x07ort.pdf"', samples.pdf)));
    expect(result.status).toBe(400);
    expect(filesUnder(evidenceDir)).toEqual([]);
  });
});

describe('refused files', () => {
  it.each([
    ['a Windows program renamed .pdf', 'setup.pdf', samples.exe],
    ['plain text renamed .pdf', 'notes.pdf', samples.text],
    ['a PNG renamed .pdf', 'photo.pdf', samples.png],
    ['a PDF renamed .exe', 'report.exe', samples.pdf],
    ['a PDF with a double extension', 'report.pdf.exe', samples.pdf],
    ['plain text named .txt', 'notes.txt', samples.text],
    ['a CSV that is not UTF-8', 'old.csv', samples.latin1],
    ['a CSV with NUL bytes', 'nul.csv', Buffer.from('a,b\n\0\0,1\n')],
    ['an arbitrary ZIP renamed .docx', 'archive.docx', samples.zip],
    ['a macro-enabled Word file renamed .docx', 'macro.docx', samples.docm],
    ['a ZIP header with no directory', 'broken.xlsx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)])],
  ])('%s: 415, by content, nothing stored', async (_label, name, data) => {
    const result = refused(await upload([{ name, data, type: 'application/pdf' }]));
    expect(result.status).toBe(415);
    expect(result.field).toBe('evidence');
    expect(result.message).toContain('must be a PDF, PNG, JPEG, DOCX, XLSX or CSV');
    expect(filesUnder(evidenceDir)).toEqual([]);
  });

  it('an empty file: 400 "The selected file is empty"', async () => {
    const result = refused(await upload([{ name: 'empty.pdf', data: Buffer.alloc(0) }]));
    expect(result).toMatchObject({ status: 400, field: 'evidence' });
    expect(result.message).toContain('The selected file is empty');
    expect(result.message).toContain('empty.pdf');
  });

  it('a file just over 10 MB: 413 with the limit, nothing stored', async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x20);
    samples.pdf.copy(big);
    const result = refused(await upload([{ name: 'big.pdf', data: big }]));
    expect(result.status).toBe(413);
    expect(result.message).toContain('10 MB');
    expect(filesUnder(evidenceDir)).toEqual([]);
  });

  it('a file of exactly 10 MB is accepted', async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES, 0x20);
    samples.pdf.copy(big);
    const result = await upload([{ name: 'big.pdf', data: big }]);
    expect(result.ok).toBe(true);
  });

  it('one bad file refuses the whole submission: the good ones are not kept either', async () => {
    const result = refused(await upload([{ name: 'good.pdf', data: samples.pdf }, { name: 'bad.pdf', data: samples.exe }]));
    expect(result.status).toBe(415);
    expect(result.message).toContain('bad.pdf');
    expect(filesUnder(evidenceDir)).toEqual([]);
  });

  it(`more than ${MAX_FILES_PER_REQUEST} files: 413`, async () => {
    const files = Array.from({ length: MAX_FILES_PER_REQUEST + 1 }, (_, i) => ({ name: `f${i}.csv`, data: Buffer.from(`n\n${i}\n`) }));
    const result = refused(await upload(files));
    expect(result.status).toBe(413);
    expect(result.message).toContain(`up to ${MAX_FILES_PER_REQUEST} files`);
    expect(filesUnder(evidenceDir)).toEqual([]);
  });

  it('files over 30 MB together: 413 with the total limit', async () => {
    const file = Buffer.alloc(9 * 1024 * 1024, 0x20);
    samples.pdf.copy(file);
    const result = refused(await upload([1, 2, 3, 4].map((i) => ({ name: `part${i}.pdf`, data: file }))));
    expect(result.status).toBe(413);
    expect(result.message).toContain('30 MB');
    expect(filesUnder(evidenceDir)).toEqual([]);
  });

  it('a declared Content-Length over the limit: 413 before reading', async () => {
    const request = new Request('http://localhost:3000/upload', {
      method: 'POST', body: 'x', headers: { 'Content-Type': 'multipart/form-data; boundary=abc', 'Content-Length': String(64 * 1024 * 1024) },
    });
    expect(refused(await readReturnUpload(request)).status).toBe(413);
  });

  it('a JSON body: 415 for the whole form', async () => {
    const request = new Request('http://localhost:3000/upload', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(refused(await readReturnUpload(request))).toMatchObject({ status: 415, field: '' });
  });

  it('a malformed multipart body: 400', async () => {
    const request = new Request('http://localhost:3000/upload', { method: 'POST', body: 'not multipart at all', headers: { 'Content-Type': 'multipart/form-data; boundary=abc' } });
    expect(refused(await readReturnUpload(request)).status).toBe(400);
  });
});

describe('an interrupted upload', () => {
  async function interrupted(files: Part[], cutAt: (length: number) => number) {
    const template = new Request('http://localhost:3000/upload', { method: 'POST', body: uploadForm(files) });
    const body = new Uint8Array(await template.arrayBuffer());
    const cut = cutAt(body.length);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.subarray(0, cut));
      },
      pull(controller) {
        controller.error(new Error('socket hang up'));
      },
    });
    const request = new Request('http://localhost:3000/upload', {
      method: 'POST', body: stream, headers: { 'Content-Type': template.headers.get('Content-Type')! }, duplex: 'half',
    } as RequestInit);
    return readReturnUpload(request);
  }

  it('halfway through a file: a clear error, nothing in tmp or evidence', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    samples.pdf.copy(big);
    const result = refused(await interrupted([{ name: 'first.pdf', data: samples.pdf }, { name: 'big.pdf', data: big }], (n) => Math.floor(n / 2)));
    expect(result).toMatchObject({ status: 400, field: 'evidence' });
    expect(result.message).toMatch(/upload was interrupted/);
    expect(filesUnder(tmpDir)).toEqual([]);
    expect(filesUnder(evidenceDir)).toEqual([]);
  });

  it('after the last file but before the form ends: still refused, nothing kept', async () => {
    const result = refused(await interrupted([{ name: 'first.pdf', data: samples.pdf }], (n) => n - 10));
    expect(result.status).toBe(400);
    expect(filesUnder(tmpDir)).toEqual([]);
    expect(filesUnder(evidenceDir)).toEqual([]);
  });
});
