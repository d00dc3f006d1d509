import { describe, expect, it } from 'vitest';
import { parseEvidenceLink } from './evidence-links';
import { attachmentDisposition, fileExtension, sanitiseFileName } from './evidence-names';

describe('parseEvidenceLink', () => {
  it.each([
    ['https://www.example.org/report', 'https://www.example.org/report'],
    ['http://example.org', 'http://example.org/'],
    ['  HTTPS://Example.ORG/a b  '.trim().replace(' ', '%20'), 'https://example.org/a%20b'],
    ['www.example.org/story?id=3', 'https://www.example.org/story?id=3'],
    ['example.org:8080/x', 'https://example.org:8080/x'],
  ])('%s → %s', (input, url) => {
    expect(parseEvidenceLink(input)).toEqual({ ok: true, url, title: null });
  });

  it.each([
    ['', 'Enter the link'],
    ['javascript:alert(1)', 'https:// or http://'],
    ['JavaScript:alert(1)', 'https:// or http://'],
    ['data:text/html,<script>alert(1)</script>', 'https:// or http://'],
    ['ftp://example.org/file', 'https:// or http://'],
    ['file:///etc/passwd', 'https:// or http://'],
    ['https://user:secret@example.org/', 'user name or password'],
    ['https://user@example.org/', 'user name or password'],
    ['https://example.org/\nx', 'without spaces or line breaks'],
    ['https://example.org/ x', 'without spaces or line breaks'],
    [`https://example.org/${'a'.repeat(2000)}`, '2000 characters or fewer'],
    ['https://', 'correct format'],
  ])('%j is refused (%s)', (input, message) => {
    const result = parseEvidenceLink(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('tidies the title and limits its length', () => {
    expect(parseEvidenceLink('https://example.org', ' Our \n story ')).toMatchObject({ ok: true, title: 'Our story' });
    expect(parseEvidenceLink('https://example.org', '   ')).toMatchObject({ ok: true, title: null });
    expect(parseEvidenceLink('https://example.org', 'x'.repeat(201))).toMatchObject({ ok: false, field: 'title' });
  });
});

describe('file names', () => {
  it('sanitises to the last path segment without control characters', () => {
    expect(sanitiseFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(sanitiseFileName('a\u0000b\u202Ec.pdf')).toBe('abc.pdf');
    expect(sanitiseFileName('   ')).toBe('evidence');
    expect(sanitiseFileName('..')).toBe('evidence');
    expect(sanitiseFileName(null)).toBe('evidence');
    expect(sanitiseFileName(`${'😀'.repeat(250)}.docx`)).toBe(`${'😀'.repeat(195)}.docx`);
  });

  it('knows the extension', () => {
    expect(fileExtension('Report.PDF')).toBe('.pdf');
    expect(fileExtension('report')).toBe('');
    expect(fileExtension('archive.tar.gz')).toBe('.gz');
  });

  it('builds an attachment disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition('Zoë\'s "plan" (v2).pdf')).toBe(
      `attachment; filename="Zo_'s _plan_ (v2).pdf"; filename*=UTF-8''Zo%C3%AB%27s%20_plan_%20%28v2%29.pdf`,
    );
  });
});
