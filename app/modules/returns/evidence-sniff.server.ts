// Recognising an uploaded file by its content, never by its name.
// PDF, PNG and JPEG by their signatures; DOCX and XLSX are ZIP archives told
// apart by their entries (word/… or xl/…); CSV is UTF-8 text without NUL bytes.
import fs from 'node:fs/promises';
import type { EvidenceKind } from './evidence-limits';

const HEAD_BYTES = 16;

/** Watches a file's bytes as they stream past; holds only the first few. */
export class ContentProbe {
  private head = Buffer.alloc(0);
  // Stateful: a multi-byte sequence split across chunks is carried to the next one.
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private text = true;

  update(chunk: Buffer): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    if (!this.text) return;
    if (chunk.includes(0)) {
      this.text = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.text = false;
    }
  }

  /** The first bytes and whether the whole file was valid UTF-8 without NUL bytes. */
  finish(): { head: Buffer; isText: boolean } {
    if (this.text) {
      try {
        this.decoder.decode(); // throws if the file ended inside a multi-byte sequence
      } catch {
        this.text = false;
      }
    }
    return { head: this.head, isText: this.text };
  }
}

const PDF = Buffer.from('%PDF-', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export type Detection = { kind: EvidenceKind } | { kind: null; reason?: string };

/** What the saved file is, from its first bytes and (for ZIP) its list of entries. */
export async function detectKind(file: string, head: Buffer, isText: boolean): Promise<Detection> {
  if (startsWith(head, PDF)) return { kind: 'pdf' };
  if (startsWith(head, PNG) && head.subarray(12, 16).toString('latin1') === 'IHDR') return { kind: 'png' };
  if (startsWith(head, JPEG)) return { kind: 'jpeg' };
  if (startsWith(head, ZIP)) return detectOfficeDocument(file);
  if (isText) return { kind: 'csv' };
  return { kind: null };
}

function startsWith(head: Buffer, signature: Buffer): boolean {
  return head.length >= signature.length && head.subarray(0, signature.length).equals(signature);
}

const MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024;

async function detectOfficeDocument(file: string): Promise<Detection> {
  const names = await zipEntryNames(file);
  if (!names) return { kind: null, reason: 'it is a damaged or unsupported ZIP file' };
  const word = names.some((n) => n.startsWith('word/'));
  const xl = names.some((n) => n.startsWith('xl/'));
  if (names.some((n) => /^(word|xl)\/vbaProject\.bin$/i.test(n))) return { kind: null, reason: 'it contains macros' };
  if (word && !xl) return { kind: 'docx' };
  if (xl && !word) return { kind: 'xlsx' };
  return { kind: null, reason: 'it is a ZIP file but not a Word or Excel document' };
}

/** The entry names from a ZIP's central directory, or null if it cannot be read. */
export async function zipEntryNames(file: string): Promise<string[] | null> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65535.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return null;
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES || cdOffset + cdSize > size - tailLength + eocd) return null;
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const names: string[] = [];
    let at = 0;
    for (let n = 0; n < entries; n++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) return null;
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      if (at + 46 + nameLength > cd.length) return null;
      names.push(cd.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  } finally {
    await handle.close();
  }
}
