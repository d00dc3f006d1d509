// Evidence uploads: a multipart form streamed through busboy to DATA_DIR/tmp,
// each file checked by its content and size as it arrives, then moved to its
// content-addressed place under DATA_DIR/evidence. Nothing is held whole in
// memory, and no temporary file outlives the request. See docs/evidence.md.
//
// Why busboy rather than Remix's unstable_parseMultipartFormData: busboy gives
// per-file and per-request limits with a 'limit' event the moment one is passed
// (so we stop reading at once), backpressure into our write streams, and no
// "unstable_" API that React Router 7 has already removed.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ContentProbe, detectKind } from './evidence-sniff.server';
import {
  ACCEPTED_TYPES_TEXT, EVIDENCE_TYPES, formatBytes, MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, MAX_FORM_OVERHEAD_BYTES, MAX_REQUEST_BYTES,
  type StoredFile,
} from './evidence-limits';
import { fileExtension, sanitiseFileName } from './evidence-names';
import { evidencePath, markInFlight, uploadTmpDir } from './evidence-store.server';

export {
  MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, MAX_REQUEST_BYTES, MAX_RETURN_EVIDENCE_BYTES, MAX_FORM_OVERHEAD_BYTES, type StoredFile,
} from './evidence-limits';
export { attachFiles, attachLink, discardUnreferenced, evidencePath } from './evidence-store.server';

/** The file input's name; it may repeat. */
export const EVIDENCE_FIELD = 'evidence';

export type ReturnUpload =
  | { ok: true; fields: FormData; files: StoredFile[] }
  /**
   * `field` is 'evidence' for a problem with the files, '' for the form as a whole.
   * `fields` holds the text fields read before the problem, so the form can show what was typed.
   */
  | { ok: false; status: 400 | 413 | 415; field: string; message: string; fields?: FormData };

type Failure = Extract<ReturnUpload, { ok: false }>;

const MAX_FIELDS = 200;
const MAX_FIELD_BYTES = 100_000;

const fail = (status: Failure['status'], message: string, field: string = EVIDENCE_FIELD): Failure => ({ ok: false, status, field, message });

/**
 * Reads a return's form. Multipart: files in `evidence` are checked and stored
 * (see the file header); any failure refuses the whole submission and stores
 * nothing. URL-encoded: fields only. Anything else: 415.
 */
export async function readReturnUpload(request: Request): Promise<ReturnUpload> {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    try {
      return { ok: true, fields: await request.formData(), files: [] };
    } catch {
      return fail(400, 'The form could not be read. Go back and try again.', '');
    }
  }
  if (!/^multipart\/form-data\b/i.test(contentType)) return fail(415, 'Send this form from its page in the portal.', '');
  const declared = Number(request.headers.get('Content-Length') ?? NaN);
  if (declared > MAX_REQUEST_BYTES + MAX_FORM_OVERHEAD_BYTES) return fail(413, tooMuchMessage()); // unread: see pump()
  if (!request.body) return fail(400, 'The form could not be read. Go back and try again.', '');
  return new MultipartReader(contentType, request.body).read();
}

const tooMuchMessage = () => `The selected files must be ${formatBytes(MAX_REQUEST_BYTES)} or less in total. Upload fewer files at a time.`;

interface Received {
  tmp: string;
  sha256: string;
  sizeBytes: number;
  rawName: string;
  head: Buffer;
  isText: boolean;
}

class MultipartReader {
  private failure: Failure | null = null;
  private readonly fields = new FormData();
  private readonly pending: Promise<Received | null>[] = [];
  private readonly temps = new Set<string>();
  private readonly parser: busboy.Busboy;
  private fileBytes = 0;

  constructor(contentType: string, private readonly body: ReadableStream<Uint8Array>) {
    this.parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      // busboy says 'limit' on reaching fileSize exactly: one byte more means over the limit.
      limits: { fileSize: MAX_FILE_BYTES + 1, files: MAX_FILES_PER_REQUEST, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + MAX_FILES_PER_REQUEST },
    });
    this.parser.on('field', (name, value, info) => {
      if (info.valueTruncated) this.stop(fail(413, 'A text answer is too long. Shorten it and try again.', name));
      else if (info.nameTruncated) this.stop(fail(400, 'The form could not be read. Go back and try again.', ''));
      else this.fields.append(name, value);
    });
    this.parser.on('file', (name, stream, info) => {
      if (name !== EVIDENCE_FIELD || this.failure) {
        stream.resume(); // not ours: drain it
        return;
      }
      const receiving = this.receive(stream, info.filename ?? '');
      receiving.catch(() => {}); // settled (and reported) in read(); not an unhandled rejection meanwhile
      this.pending.push(receiving);
    });
    this.parser.on('filesLimit', () => this.stop(fail(413, `Select up to ${MAX_FILES_PER_REQUEST} files at a time.`)));
    this.parser.on('fieldsLimit', () => this.stop(fail(413, 'The form has too many fields.', '')));
    this.parser.on('partsLimit', () => this.stop(fail(413, 'The form has too many fields.', '')));
    this.parser.on('error', () => this.stop(fail(400, 'The form could not be read. Go back and try again.', '')));
  }

  async read(): Promise<ReturnUpload> {
    await fs.promises.mkdir(uploadTmpDir(), { recursive: true });
    const finished = new Promise<void>((resolve) => this.parser.once('close', resolve));
    try {
      await this.pump();
      if (!this.failure) await Promise.race([finished, this.stopped()]);
      const received = await Promise.allSettled(this.pending);
      if (this.failure) return { ...this.failure, fields: this.fields };
      const files: Received[] = [];
      for (const r of received) {
        if (r.status === 'rejected') return { ...fail(400, 'The upload was interrupted. Select the files and try again.'), fields: this.fields };
        if (r.value) files.push(r.value);
      }
      const stored = await this.store(files);
      return stored.ok ? stored : { ...stored, fields: this.fields };
    } finally {
      this.parser.destroy();
      await Promise.allSettled(this.pending);
      await Promise.all([...this.temps].map((t) => fs.promises.rm(t, { force: true })));
    }
  }

  /** Feeds the request body to busboy with backpressure; stops at the first failure or limit. */
  private async pump(): Promise<void> {
    const reader = this.body.getReader();
    let received = 0;
    try {
      for (;;) {
        if (this.failure) return;
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > MAX_REQUEST_BYTES + MAX_FORM_OVERHEAD_BYTES) return this.stop(fail(413, tooMuchMessage()));
        if (!this.parser.write(value)) await this.drained();
      }
      if (!this.failure) this.parser.end();
    } catch {
      this.stop(fail(400, 'The upload was interrupted. Select the files and try again.'));
    } finally {
      // Not cancelled: cancelling would destroy the socket and the browser would show a
      // reset connection instead of our message. Node's HTTP server discards the rest of
      // an unread body once the response is sent; nothing more is parsed or written.
      reader.releaseLock();
    }
  }

  private stopListeners: (() => void)[] = [];

  private stopped(): Promise<void> {
    return new Promise((resolve) => (this.failure ? resolve() : this.stopListeners.push(resolve)));
  }

  private drained(): Promise<void> {
    return Promise.race([
      new Promise<void>((resolve) => {
        const done = () => {
          this.parser.off('drain', done);
          this.parser.off('close', done);
          resolve();
        };
        this.parser.on('drain', done);
        this.parser.on('close', done);
      }),
      this.stopped(),
    ]);
  }

  /** The first failure wins; reading stops and every open file stream is destroyed. */
  private stop(failure: Failure): void {
    if (this.failure) return;
    this.failure = failure;
    for (const resolve of this.stopListeners.splice(0)) resolve();
    setImmediate(() => this.parser.destroy());
  }

  private async receive(stream: Readable, rawName: string): Promise<Received | null> {
    const tmp = path.join(uploadTmpDir(), `${randomUUID()}.part`);
    this.temps.add(tmp);
    const hash = createHash('sha256');
    const probe = new ContentProbe();
    let size = 0;
    stream.once('limit', () => this.stop(fail(413, `${sanitiseFileName(rawName)} is larger than ${formatBytes(MAX_FILE_BYTES)}. Each file must be ${formatBytes(MAX_FILE_BYTES)} or less.`)));
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        size += chunk.length;
        this.fileBytes += chunk.length;
        if (this.fileBytes > MAX_REQUEST_BYTES) {
          this.stop(fail(413, tooMuchMessage()));
          return callback(new Error('request limit'));
        }
        hash.update(chunk);
        probe.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(stream, meter, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    if (this.failure) return null;
    if (size === 0) {
      if (!rawName) return null; // the file input was left empty
      this.stop(fail(400, `The selected file is empty (${sanitiseFileName(rawName)}).`));
      return null;
    }
    const { head, isText } = probe.finish();
    return { tmp, sha256: hash.digest('hex'), sizeBytes: size, rawName, head, isText };
  }

  /** Checks each file's type against its content and name, then moves all of them into place. */
  private async store(received: Received[]): Promise<ReturnUpload> {
    const files: StoredFile[] = [];
    for (const r of received) {
      const checked = await checkFile(r);
      if (!checked.ok) return checked;
      if (!files.some((f) => f.sha256 === checked.file.sha256 && f.fileName === checked.file.fileName)) files.push(checked.file);
    }
    for (const r of received) {
      const target = evidencePath(r.sha256);
      if (await touchIfStored(target)) continue; // stored already: identical content is kept once
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.rename(r.tmp, target);
      this.temps.delete(r.tmp);
    }
    markInFlight(files);
    return { ok: true, fields: this.fields, files };
  }
}

/**
 * True when the content is stored already, after setting its modified time to
 * now. `npm run jobs` (another process, which cannot see this one's in-flight
 * list) deletes stored files that nothing refers to once they are a day old: an
 * old unreferenced copy this request is about to attach must look new to it.
 */
async function touchIfStored(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await fs.promises.utimes(file, now, now);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function checkFile(r: Received): Promise<{ ok: true; file: StoredFile } | Failure> {
  const name = sanitiseFileName(r.rawName);
  const detected = await detectKind(r.tmp, r.head, r.isText);
  if (!detected.kind) {
    const why = detected.reason ? ` (${detected.reason})` : '';
    return fail(415, `${name} cannot be uploaded${why}. The selected file must be a ${ACCEPTED_TYPES_TEXT}.`);
  }
  const type = EVIDENCE_TYPES[detected.kind];
  const ext = fileExtension(name);
  if (detected.kind === 'csv' && ext !== '.csv') {
    return fail(415, `${name} cannot be uploaded. The selected file must be a ${ACCEPTED_TYPES_TEXT}.`);
  }
  let fileName = name;
  if (!ext) {
    fileName = sanitiseFileName(`${name}${type.extensions[0]}`);
  } else if (!type.extensions.includes(ext)) {
    return fail(415, `${name} is not what its name says: its content is a ${type.label}. The selected file must be a ${ACCEPTED_TYPES_TEXT}, named to match.`);
  }
  return { ok: true, file: { sha256: r.sha256, sizeBytes: r.sizeBytes, contentType: type.contentType, fileName } };
}
