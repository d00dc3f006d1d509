// Tiny valid samples of each accepted type, and helpers, for the evidence tests only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeUser } from '../../../tests/support/factories';
import { loadEnv } from '~/utils/env.server';
import { newId } from '~/utils/ids.server';

/** A fresh DATA_DIR for this test file (never the repository's data/). */
export function makeTempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-evidence-'));
  process.env.DATA_DIR = dir;
  loadEnv();
  return dir;
}

export const samples = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  png: Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR', 'latin1'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), Buffer.from([0x1f, 0x15, 0xc4, 0x89]),
  ]),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]),
  docx: Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') })),
  xlsx: Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>') })),
  csv: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name,Hours\nZoë Ó Briain,12\n', 'utf8')]),
  zip: Buffer.from(zipSync({ 'notes.txt': strToU8('hello') })),
  docm: Buffer.from(zipSync({ 'word/document.xml': strToU8('<w:document/>'), 'word/vbaProject.bin': new Uint8Array([1, 2, 3]) })),
  exe: Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]),
  text: Buffer.from('Just some words, not a PDF at all.\n', 'utf8'),
  latin1: Buffer.from('Caf\xe9,1\n', 'latin1'),
};

export type Part = { name: string; data: Buffer | Uint8Array; field?: string; type?: string };

export function uploadForm(files: Part[], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field ?? 'evidence', new File([new Uint8Array(f.data)], f.name, { type: f.type ?? 'application/octet-stream' }));
  return form;
}

export function uploadRequest(files: Part[], { fields, cookie, path: url = '/upload' }: { fields?: Record<string, string>; cookie?: string; path?: string } = {}): Request {
  const headers = new Headers();
  if (cookie) headers.set('Cookie', cookie);
  return new Request(`http://localhost:3000${url}`, { method: 'POST', body: uploadForm(files, fields), headers });
}

/** Every file under a folder, relative paths (empty when the folder is missing). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath ?? d.path, d.name)));
}

/** A draft progress return of a new (or the given) supplier, inserted directly. */
export async function makeReturn({ supplierId }: { supplierId?: string } = {}) {
  const contractor = await makeUser('contractor', supplierId ? { organisationId: supplierId } : {});
  const contract = await makeContract({ supplierId: contractor.organisationId });
  const measure = await makeMeasure();
  const commitment = await makeCommitment(contract.id, measure.id);
  const id = newId();
  const now = new Date().toISOString();
  await getDb().insertInto('progress_return').values({
    id, commitment_id: commitment.id, contract_id: contract.id, supplier_id: contractor.organisationId, period_start: '2026-04-01', period_end: '2026-06-30',
    quantity_milli: 1000, status: 'draft', approved_quantity_milli: null, decision_reason: null, decided_by: null, decided_at: null,
    submitted_at: null, first_submitted_at: null, created_by: contractor.id, created_at: now, updated_at: now,
  }).execute();
  return { id, contractor, supplierId: contractor.organisationId };
}
