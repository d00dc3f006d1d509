import { describe, expect, it } from 'vitest';
import { bestMatch, matchKind, rankSignposts, reasonFor, type FlaggedCommitment, type OpenItem } from './signposting';

const commitment = (over: Partial<FlaggedCommitment> = {}): FlaggedCommitment => ({
  id: 'c1', contractReference: 'C-123', theme: 'Jobs', wardId: 'w-east', wardName: 'Eastfield', status: 'behind', dueDate: '2027-03-31', ...over,
});
const item = (over: Partial<OpenItem> = {}): OpenItem => ({
  id: `i-${Math.random()}`, title: 'Laptops', theme: 'Jobs', wardId: 'w-east', wardName: 'Eastfield', neededBy: '2027-01-01', ...over,
});

describe('signposting', () => {
  it('grades a match: theme and ward of one commitment, theme only, ward only, none', () => {
    const c = commitment();
    expect(matchKind(item(), c)).toBe('theme-and-ward');
    expect(matchKind(item({ wardId: 'w-west' }), c)).toBe('theme');
    expect(matchKind(item({ wardId: null }), c)).toBe('theme');
    expect(matchKind(item({ theme: 'Environment' }), c)).toBe('ward');
    expect(matchKind(item({ theme: 'Environment', wardId: 'w-west' }), c)).toBeNull();
    // A commitment without a ward never matches on ward, even an item without one.
    expect(matchKind(item({ theme: 'Environment', wardId: null }), commitment({ wardId: null }))).toBeNull();
  });

  it('writes a one-line reason for each kind of match', () => {
    expect(reasonFor('theme-and-ward', item(), commitment())).toBe('Matches your Jobs commitment on C-123, which is behind, in Eastfield');
    expect(reasonFor('theme', item(), commitment({ status: 'at_risk' }))).toBe('Matches your Jobs commitment on C-123, which is at risk');
    expect(reasonFor('ward', item(), commitment({ theme: 'Environment', status: 'overdue' }))).toBe('In Eastfield, where your Environment commitment on C-123 is overdue');
  });

  it('explains an item by its best commitment: the closer match, then the one in most trouble, then the soonest due', () => {
    const themeOnly = commitment({ id: 'a', contractReference: 'C-A', wardId: null, wardName: null, status: 'overdue' });
    const both = commitment({ id: 'b', contractReference: 'C-B', status: 'at_risk' });
    expect(bestMatch(item(), [themeOnly, both])?.commitment.id).toBe('b');
    const behind = commitment({ id: 'c', contractReference: 'C-C', status: 'behind', dueDate: '2028-01-01' });
    const atRisk = commitment({ id: 'd', contractReference: 'C-D', status: 'at_risk', dueDate: '2027-01-01' });
    expect(bestMatch(item(), [atRisk, behind])?.commitment.id).toBe('c');
    const sooner = commitment({ id: 'e', contractReference: 'C-E', status: 'behind', dueDate: '2027-06-01' });
    expect(bestMatch(item(), [behind, sooner])?.commitment.id).toBe('e');
    expect(bestMatch(item({ theme: 'Other', wardId: null }), [behind])).toBeNull();
  });

  it('ranks theme and ward > theme only > ward only, then the need needed soonest (no date last), up to five', () => {
    const commitments = [commitment(), commitment({ id: 'c2', contractReference: 'C-9', theme: 'Environment', wardId: 'w-harbour', wardName: 'Harbour', status: 'at_risk' })];
    const items = [
      item({ id: 'ward-only', title: 'Ward only', theme: 'Health', neededBy: '2026-12-01' }),
      item({ id: 'theme-late', title: 'Theme late', wardId: 'w-west', neededBy: '2027-09-01' }),
      item({ id: 'theme-soon', title: 'Theme soon', wardId: null, neededBy: '2027-02-01' }),
      item({ id: 'both-undated', title: 'Both undated', neededBy: null }),
      item({ id: 'both-soon', title: 'Both soon', neededBy: '2027-03-01' }),
      item({ id: 'both-harbour', title: 'Both harbour', theme: 'Environment', wardId: 'w-harbour', wardName: 'Harbour', neededBy: '2027-04-01' }),
      item({ id: 'none', title: 'None', theme: 'Health', wardId: 'w-west' }),
    ];
    const ranked = rankSignposts(items, commitments);
    expect(ranked.map((s) => s.item.id)).toEqual(['both-soon', 'both-harbour', 'both-undated', 'theme-soon', 'theme-late']);
    expect(ranked[1]!.reason).toBe('Matches your Environment commitment on C-9, which is at risk, in Harbour');
    expect(rankSignposts(items, commitments, 10).map((s) => s.item.id)).toEqual(['both-soon', 'both-harbour', 'both-undated', 'theme-soon', 'theme-late', 'ward-only']);
    expect(rankSignposts(items, [])).toEqual([]);
  });
});
