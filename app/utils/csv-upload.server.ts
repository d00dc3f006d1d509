import { FILE_TOO_BIG, MAX_CSV_BYTES } from './csv';

// Reading one small CSV upload (multipart/form-data) without ever holding more
// than the limit in memory: the request body is read with a byte cap first,
// then handed to the standard request.formData() parser.
// Used by both CSV imports (measures and contracts).

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export type CsvUpload = { ok: true; bytes: Uint8Array; fileName: string } | { ok: false; message: string };

async function readCapped(body: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The CSV file sent in form field `field`, or a message for the person uploading it. */
export async function readCsvUpload(request: Request, field = 'file'): Promise<CsvUpload> {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data') || !request.body) return { ok: false, message: 'Select a CSV file' };
  const cap = MAX_CSV_BYTES + MULTIPART_OVERHEAD;
  const declared = Number(request.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > cap) return { ok: false, message: FILE_TOO_BIG };
  const body = await readCapped(request.body, cap);
  if (!body) return { ok: false, message: FILE_TOO_BIG };

  let formData: FormData;
  try {
    formData = await new Request(request.url, { method: 'POST', headers: { 'Content-Type': contentType }, body }).formData();
  } catch {
    return { ok: false, message: 'The upload could not be read. Select the CSV file and try again' };
  }
  const file = formData.get(field);
  if (!file || typeof file === 'string' || (file.size === 0 && file.name === '')) return { ok: false, message: 'Select a CSV file' };
  if (!/\.csv$/i.test(file.name)) return { ok: false, message: 'The selected file must be a CSV (a file name ending .csv)' };
  if (file.size > MAX_CSV_BYTES) return { ok: false, message: FILE_TOO_BIG };
  if (file.size === 0) return { ok: false, message: 'The file is empty' };
  return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name };
}
