// Evidence limits and accepted types. Pure (no server imports): pages import
// these for hint text ("up to 10 MB each"); the server enforces them in
// evidence-upload.server.ts and evidence-store.server.ts. See docs/evidence.md.

/** Largest single file. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Most files in one submission (the `evidence` field may repeat). */
export const MAX_FILES_PER_REQUEST = 10;
/**
 * Most file bytes in one submission, all files together. The request body as
 * sent may be up to MAX_FORM_OVERHEAD_BYTES larger (text fields and multipart framing).
 */
export const MAX_REQUEST_BYTES = 30 * 1024 * 1024;
/** Text fields and multipart framing allowed on top of MAX_REQUEST_BYTES. */
export const MAX_FORM_OVERHEAD_BYTES = 1024 * 1024;
/** Most file bytes attached to one return, over all its submissions. */
export const MAX_RETURN_EVIDENCE_BYTES = 50 * 1024 * 1024;
/** Longest stored file name, in characters, extension included. */
export const MAX_FILE_NAME_LENGTH = 200;

export type EvidenceKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'csv';

export const EVIDENCE_TYPES: Record<EvidenceKind, { label: string; contentType: string; extensions: readonly string[] }> = {
  pdf: { label: 'PDF', contentType: 'application/pdf', extensions: ['.pdf'] },
  png: { label: 'PNG image', contentType: 'image/png', extensions: ['.png'] },
  jpeg: { label: 'JPEG image', contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  docx: { label: 'Word document (DOCX)', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'] },
  xlsx: { label: 'Excel spreadsheet (XLSX)', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'] },
  csv: { label: 'CSV file', contentType: 'text/csv', extensions: ['.csv'] },
};

/** For the file input's `accept` attribute (a hint only: the server checks the content). */
export const EVIDENCE_ACCEPT = Object.values(EVIDENCE_TYPES).flatMap((t) => [...t.extensions, t.contentType]).join(',');

export const ACCEPTED_TYPES_TEXT = 'PDF, PNG, JPEG, DOCX, XLSX or CSV';

/** 10 MB, 512 KB, 1.5 MB: sizes in messages and lists. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** A file that passed the checks and is stored under DATA_DIR/evidence by its hash. */
export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  contentType: string;
  /** Sanitised display name (see sanitiseFileName), extension matching the content. */
  fileName: string;
}
