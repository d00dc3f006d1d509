// File names of uploaded evidence: what a browser sent is untrusted text.
// Pure (no server imports).
import { MAX_FILE_NAME_LENGTH } from './evidence-limits';

/**
 * A safe display name: the last path segment only (no / or \), no control or
 * invisible formatting characters (including right-to-left overrides that
 * disguise `exe.pdf`), no characters Windows refuses, no leading dots, at most
 * MAX_FILE_NAME_LENGTH characters with the extension kept. Never empty.
 */
export function sanitiseFileName(raw: string | null | undefined, fallback = 'evidence'): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/\t/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!name || name === '_') name = fallback;
  return truncateKeepingExtension(name, MAX_FILE_NAME_LENGTH);
}

/** The extension in lower case with its dot (`.pdf`), or '' when there is none. */
export function fileExtension(name: string): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}

function truncateKeepingExtension(name: string, max: number): string {
  const chars = Array.from(name); // by code point, so a surrogate pair is never split
  if (chars.length <= max) return name;
  const ext = Array.from(/\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '');
  const stem = chars.slice(0, chars.length - ext.length).slice(0, max - ext.length);
  return `${stem.join('').trimEnd()}${ext.join('')}`;
}

/**
 * `attachment` with an ASCII fallback name and the exact name in RFC 5987
 * encoding (`filename*=UTF-8''…`), so no browser renders the file in the page.
 */
export function attachmentDisposition(name: string): string {
  const safe = sanitiseFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
