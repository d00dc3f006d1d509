import { describe, expect, it } from 'vitest';
import { safeRedirect } from './safe-redirect';

describe('safeRedirect', () => {
  it.each([
    ['/account', '/account'],
    ['/officer/organisations?status=pending#top', '/officer/organisations?status=pending#top'],
  ])('keeps a local path %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
  it.each([
    'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x', '/\u0000x', '', null, undefined, ' //evil.example',
  ])('refuses %s', (input) => {
    const result = safeRedirect(input as string, '/');
    expect(result.startsWith('/')).toBe(true);
    expect(result.startsWith('//')).toBe(false);
    expect(new URL(result, 'http://portal.test').origin).toBe('http://portal.test');
  });
});
