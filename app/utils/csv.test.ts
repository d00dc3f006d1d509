import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CSV_BYTES, headerProblems, parseCsv, rowRecord, toCsv } from './csv';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseCsv', () => {
  it('reads quoted cells with commas, quotes and newlines, and keeps line numbers', () => {
    const result = parseCsv(bytes('\uFEFFCode,Title\r\nA1,"Jobs, local"\r\nA2,"Said ""hi""\nthen left"\nA3,plain\n'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.header).toEqual(['code', 'title']);
    expect(result.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, 'A1', 'Jobs, local'],
      [3, 'A2', 'Said "hi"\nthen left'],
      [5, 'A3', 'plain'],
    ]);
    expect(rowRecord(result.header, result.rows[0]!)).toEqual({ code: 'A1', title: 'Jobs, local' });
  });

  it('refuses an empty file, a file of blank lines, and an oversized file', () => {
    expect(parseCsv(bytes(''))).toEqual({ ok: false, message: 'The file is empty' });
    expect(parseCsv(bytes('\n\n,\n'))).toEqual({ ok: false, message: 'The file is empty' });
    expect(parseCsv(new Uint8Array(MAX_CSV_BYTES + 1))).toEqual({ ok: false, message: 'The file must be smaller than 2 MB' });
  });

  it('refuses bytes that are not UTF-8 (a Windows-1252 export)', () => {
    const latin1 = new Uint8Array([0x63, 0x6f, 0x64, 0x65, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]);
    const result = parseCsv(latin1);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/CSV UTF-8/);
  });

  it('reports an unclosed quote with its line', () => {
    expect(parseCsv(bytes('a,b\n1,"open\n2,3\n'))).toEqual({ ok: false, message: 'Line 2: a quoted cell is never closed' });
  });

  it('names missing, unknown and repeated columns', () => {
    expect(headerProblems(['code', 'titel', 'code'], ['code', 'title'], ['unit'])).toEqual([
      'Missing column: title', 'Unknown column: titel', 'Column repeated: code',
    ]);
  });
});

describe('toCsv', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    const csv = toCsv(['title'], [['=HYPERLINK("http://evil.example","click")'], ['+1'], ['@SUM(A1)'], ['-2+3'], ['normal']]);
    expect(csv).toBe('\uFEFFtitle\r\n"\'=HYPERLINK(""http://evil.example"",""click"")"\r\n\'+1\r\n\'@SUM(A1)\r\n\'-2+3\r\nnormal\r\n');
  });

  it('writes a plain negative amount as a number, not as inert text', () => {
    expect(toCsv(['substituted'], [['-12.34'], ['-5'], ['-1e3'], ['-12.34+1']])).toBe("\uFEFFsubstituted\r\n-12.34\r\n-5\r\n'-1e3\r\n'-12.34+1\r\n");
  });

  it('round-trips any text that does not look like a formula', () => {
    const safeText = fc.string({ unit: 'grapheme' }).filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.tuple(safeText, safeText), { minLength: 1, maxLength: 5 }), (rows) => {
        const withMarker = rows.map(([a, b]) => [`x${a}`, `y${b}`]);
        const parsed = parseCsv(bytes(toCsv(['a', 'b'], withMarker)));
        if (!parsed.ok) return false;
        return JSON.stringify(parsed.rows.map((r) => r.cells)) === JSON.stringify(withMarker);
      }),
    );
  });
});
