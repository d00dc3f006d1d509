import pino from 'pino';

// Never a password, token or session id in a log line: cookies and auth headers
// are redacted, and tokens that travel in a path are masked by maskTokens().
export function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino({
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  }, destination);
}

export type Logger = ReturnType<typeof createLogger>;

const TOKEN_PATHS = /^(\/(?:reset-password|invitations)\/)[^/?#]+/;

/** A URL fit for a log: single-use tokens in the path and the query string are masked. */
export function maskTokens(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const maskedPath = path.replace(TOKEN_PATHS, '$1[redacted]');
  if (!query) return maskedPath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) {
    if (/token|password|secret/i.test(key)) params.set(key, '[redacted]');
  }
  return `${maskedPath}?${params.toString()}`;
}
