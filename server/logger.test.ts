import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskTokens } from './logger';

describe('maskTokens', () => {
  it.each([
    ['/reset-password/abc123', '/reset-password/[redacted]'],
    ['/reset-password/abc123/', '/reset-password/[redacted]/'],
    ['/invitations/tok.en-_9', '/invitations/[redacted]'],
    ['/invitations/tok?from=email', '/invitations/[redacted]?from=email'],
    ['/sign-in?redirectTo=%2Faccount', '/sign-in?redirectTo=%2Faccount'],
    ['/anything?token=abc&page=2', '/anything?token=%5Bredacted%5D&page=2'],
    ['/anything?resetToken=abc&newPassword=x&clientSecret=y', '/anything?resetToken=%5Bredacted%5D&newPassword=%5Bredacted%5D&clientSecret=%5Bredacted%5D'],
    ['/', '/'],
    ['/officer/invitations/new', '/officer/invitations/new'],
  ])('%s → %s', (url, masked) => {
    expect(maskTokens(url)).toBe(masked);
  });

  it('leaves no trace of the token', () => {
    expect(maskTokens('/reset-password/s3cr3t-t0ken?token=s3cr3t-t0ken')).not.toContain('s3cr3t');
  });
});

describe('createLogger', () => {
  it('redacts cookies, authorization headers and Set-Cookie', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    logger.info({ req: { headers: { cookie: 'svp_session=abc.def', authorization: 'Bearer xyz' } }, res: { headers: { 'set-cookie': 'svp_session=ghi' } } }, 'request');
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    for (const secret of ['abc.def', 'Bearer xyz', 'ghi']) expect(text).not.toContain(secret);
  });
});
