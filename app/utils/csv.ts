// CSV in and out, as councils exchange it with spreadsheets. RFC 4180 quoting,
// UTF-8 only (with or without a byte-order mark), CRLF or LF line endings.
// Export neutralises cells a spreadsheet would run as formulas (OWASP "CSV injection").

/** Largest CSV file accepted for import. Documented in docs/csv.md. */
export const MAX_CSV_BYTES = 2 * 1024 * 1024;
/** Most data rows accepted in one import. */
export const MAX_CSV_ROWS = 5_000;

export const FILE_TOO_BIG = `The file must be smaller than ${MAX_CSV_BYTES / 1024 / 1024} MB. Split it into smaller files and import each one`;

export interface CsvRow {
  /** 1-based line number in the file where the row starts (the header is line 1). */
  line: number;
  cells: string[];
}

export type CsvParseResult = { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; message: string };

export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return null;
  }
}

export function parseCsv(bytes: Uint8Array): CsvParseResult {
  if (bytes.byteLength === 0) return { ok: false, message: 'The file is empty' };
  if (bytes.byteLength > MAX_CSV_BYTES) return { ok: false, message: `The file must be smaller than ${MAX_CSV_BYTES / 1024 / 1024} MB` };
  const text = decodeUtf8(bytes);
  if (text === null) return { ok: false, message: 'The file must be saved as “CSV UTF-8”. It contains characters that are not UTF-8' };
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let afterQuote = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 1; } else { quoted = false; afterQuote = true; }
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '' && !afterQuote) { quoted = true; continue; }
    if (ch === ',') { cells.push(cell); cell = ''; afterQuote = false; continue; }
    if (ch === '\r' && text[i + 1] === '\n') continue;
    if (ch === '\n' || ch === '\r') {
      cells.push(cell);
      records.push({ line: recordLine, cells });
      cells = []; cell = ''; afterQuote = false;
      line += 1; recordLine = line;
      continue;
    }
    if (afterQuote) return { ok: false, message: `Line ${line}: text after a closing quote. Put quotes around the whole cell` };
    cell += ch;
  }
  if (quoted) return { ok: false, message: `Line ${recordLine}: a quoted cell is never closed` };
  if (cell !== '' || cells.length > 0) { cells.push(cell); records.push({ line: recordLine, cells }); }
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (nonBlank.length === 0) return { ok: false, message: 'The file is empty' };
  const [headerRow, ...rows] = nonBlank;
  if (rows.length > MAX_CSV_ROWS) return { ok: false, message: `The file has ${rows.length} rows; import at most ${MAX_CSV_ROWS} at a time` };
  return { ok: true, header: headerRow!.cells.map((h) => h.trim().toLowerCase()), rows };
}

/** Checks a header against the expected column names (case and order do not matter). */
export function headerProblems(header: string[], required: readonly string[], optional: readonly string[] = []): string[] {
  const problems: string[] = [];
  const known = new Set([...required, ...optional]);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) problems.push(`Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length) problems.push(`Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.map((c) => c || '(blank)').join(', ')}`);
  const duplicated = header.filter((c, i) => header.indexOf(c) !== i);
  if (duplicated.length) problems.push(`Column repeated: ${[...new Set(duplicated)].join(', ')}`);
  return problems;
}

/** A row as a record keyed by header name. */
export function rowRecord(header: string[], row: CsvRow): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((name, i) => { record[name] = (row.cells[i] ?? '').trim(); });
  return record;
}

/** A cell a spreadsheet would treat as a formula. */
export function looksLikeFormula(value: string): boolean {
  return /^[=+\-@\t\r]/.test(value);
}

const PLAIN_NUMBER = /^-\d+(\.\d+)?$/;

function exportCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Numbers are safe, including a plain negative amount written as text ("-12.34");
  // any other text starting like a formula ("-2+3", "=...") is made inert.
  if (typeof value !== 'number' && looksLikeFormula(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document with a UTF-8 byte-order mark (so Excel reads accents) and CRLF line endings. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const lines = [header.map(exportCell).join(','), ...rows.map((r) => r.map(exportCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
