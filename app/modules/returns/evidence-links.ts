// Links as evidence (a web page, a shared document, a news story). Pure: no
// server imports, so a form can check the same rules as the server.

export const MAX_LINK_LENGTH = 2000;
export const MAX_LINK_TITLE_LENGTH = 200;

export type ParsedLink = { ok: true; url: string; title: string | null } | { ok: false; field: 'url' | 'title'; message: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * A link a contractor gives as evidence: only http and https (a bare
 * `example.org/page` becomes https), no user name or password in it, at most
 * MAX_LINK_LENGTH characters once normalised. The title is optional.
 */
export function parseEvidenceLink(url: string, title?: string): ParsedLink {
  const raw = (url ?? '').trim();
  if (!raw) return { ok: false, field: 'url', message: 'Enter the link' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return { ok: false, field: 'url', message: 'Enter the link without spaces or line breaks' };
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  // "localhost:3000/x" parses as scheme "localhost": a dot-free word before a port is a host, not a scheme.
  const looksLikeHostPort = scheme !== undefined && /^[a-z0-9.-]+:\d+(\/|$)/i.test(raw);
  if (scheme !== undefined && !looksLikeHostPort && scheme !== 'http' && scheme !== 'https') {
    return { ok: false, field: 'url', message: 'Enter a link that starts with https:// or http://' };
  }
  let parsed: URL;
  try {
    parsed = new URL(scheme === 'http' || scheme === 'https' ? raw : `https://${raw.replace(/^\/+/, '')}`);
  } catch {
    return { ok: false, field: 'url', message: 'Enter a link in the correct format, like https://www.example.org/report' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, field: 'url', message: 'Enter a link that starts with https:// or http://' };
  }
  if (!parsed.hostname) return { ok: false, field: 'url', message: 'Enter a link in the correct format, like https://www.example.org/report' };
  if (parsed.username || parsed.password) {
    return { ok: false, field: 'url', message: 'Enter the link without a user name or password in it' };
  }
  const normalised = parsed.href;
  if (normalised.length > MAX_LINK_LENGTH) return { ok: false, field: 'url', message: `Link must be ${MAX_LINK_LENGTH} characters or fewer` };

  // eslint-disable-next-line no-control-regex
  const cleanTitle = (title ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (cleanTitle.length > MAX_LINK_TITLE_LENGTH) {
    return { ok: false, field: 'title', message: `Link title must be ${MAX_LINK_TITLE_LENGTH} characters or fewer` };
  }
  return { ok: true, url: normalised, title: cleanTitle || null };
}
