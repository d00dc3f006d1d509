import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('river-lantern-cobalt-42')).toBeNull();
  });
  it.each([
    ['short1', /12 characters or more/],
    ['x'.repeat(257), /256 characters or fewer/],
    ['Password1234', /too common/],
    ['aaaaaaaaaaaaaa', /too common/],
  ])('rejects %s', (password, message) => {
    expect(passwordProblem(password)).toMatch(message);
  });
  it('rejects a password built from the email address', () => {
    expect(passwordProblem('priya.shah-2026!', 'priya.shah@council.gov.uk')).toMatch(/email address/);
  });
  it('counts characters, not bytes, so unicode passwords of 12 characters pass', () => {
    expect(passwordProblem('ŵŷŵŷ-ñandú-çà')).toBeNull();
  });
});
