// "Needs you could meet" on a contractor's home page (docs/pledges.md,
// "Signposting"). Pure: which commitment an open wishlist item matches, how
// well, the order, and the one-line reason. signposting.server.ts reads the data.

export type FlaggedStatus = 'at_risk' | 'behind' | 'overdue';

export interface FlaggedCommitment {
  id: string;
  contractReference: string;
  theme: string;
  wardId: string | null;
  wardName: string | null;
  status: FlaggedStatus;
  dueDate: string;
}

export interface OpenItem {
  id: string;
  title: string;
  theme: string;
  wardId: string | null;
  wardName: string | null;
  neededBy: string | null;
}

/** Theme and ward of one commitment (3) > theme only (2) > ward only (1). */
export type MatchKind = 'theme-and-ward' | 'theme' | 'ward';
const SCORE: Record<MatchKind, number> = { 'theme-and-ward': 3, theme: 2, ward: 1 };
/** Between commitments an item matches equally well, the one in most trouble explains the match. */
const SEVERITY: Record<FlaggedStatus, number> = { overdue: 3, behind: 2, at_risk: 1 };
const STATUS_WORDS: Record<FlaggedStatus, string> = { overdue: 'overdue', behind: 'behind', at_risk: 'at risk' };

export const SIGNPOST_LIMIT = 5;

export function matchKind(item: Pick<OpenItem, 'theme' | 'wardId'>, commitment: Pick<FlaggedCommitment, 'theme' | 'wardId'>): MatchKind | null {
  const theme = item.theme === commitment.theme;
  const ward = item.wardId !== null && item.wardId === commitment.wardId;
  if (theme && ward) return 'theme-and-ward';
  if (theme) return 'theme';
  if (ward) return 'ward';
  return null;
}

export interface Signpost<I extends OpenItem = OpenItem> {
  item: I;
  kind: MatchKind;
  commitment: FlaggedCommitment;
  reason: string;
}

/** "Matches your Jobs commitment on C-123, which is behind, in Eastfield" */
export function reasonFor(kind: MatchKind, item: Pick<OpenItem, 'wardName'>, c: FlaggedCommitment): string {
  const status = STATUS_WORDS[c.status];
  if (kind === 'ward') return `In ${item.wardName ?? c.wardName}, where your ${c.theme} commitment on ${c.contractReference} is ${status}`;
  const base = `Matches your ${c.theme} commitment on ${c.contractReference}, which is ${status}`;
  return kind === 'theme-and-ward' ? `${base}, in ${c.wardName ?? item.wardName}` : base;
}

/** The item's best match among the commitments, or null when it matches none. */
export function bestMatch<I extends OpenItem>(item: I, commitments: readonly FlaggedCommitment[]): Signpost<I> | null {
  let best: { kind: MatchKind; commitment: FlaggedCommitment } | null = null;
  for (const c of commitments) {
    const kind = matchKind(item, c);
    if (!kind) continue;
    if (
      !best ||
      SCORE[kind] > SCORE[best.kind] ||
      (SCORE[kind] === SCORE[best.kind] &&
        (SEVERITY[c.status] > SEVERITY[best.commitment.status] ||
          (SEVERITY[c.status] === SEVERITY[best.commitment.status] && (c.dueDate < best.commitment.dueDate || (c.dueDate === best.commitment.dueDate && c.contractReference < best.commitment.contractReference)))))
    ) {
      best = { kind, commitment: c };
    }
  }
  return best ? { item, kind: best.kind, commitment: best.commitment, reason: reasonFor(best.kind, item, best.commitment) } : null;
}

/** Best matches first (theme and ward > theme > ward), then the need needed soonest (no date last), then by title. */
export function rankSignposts<I extends OpenItem>(items: readonly I[], commitments: readonly FlaggedCommitment[], limit = SIGNPOST_LIMIT): Signpost<I>[] {
  const matched = items.map((item) => bestMatch(item, commitments)).filter((s): s is Signpost<I> => s !== null);
  matched.sort((a, b) => {
    if (SCORE[a.kind] !== SCORE[b.kind]) return SCORE[b.kind] - SCORE[a.kind];
    const an = a.item.neededBy;
    const bn = b.item.neededBy;
    if (an !== bn) {
      if (an === null) return 1;
      if (bn === null) return -1;
      return an < bn ? -1 : 1;
    }
    return a.item.title.localeCompare(b.item.title, 'en-GB') || (a.item.id < b.item.id ? -1 : 1);
  });
  return matched.slice(0, limit);
}
