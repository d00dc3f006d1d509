import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { formatBytes } from '~/modules/returns/evidence-limits';
import { formatDate } from '~/utils/time';
import type { EvidenceItem } from './claims.ui';

// A claim as its pages show it (plain data for the loaders). Pure.

interface ClaimLike {
  id: string; kind: 'pledge' | 'activity'; status: 'requested' | 'approved' | 'rejected' | 'withdrawn'; description: string;
  quantityMilli: number | null; proxyValuePence: number | null; upliftPercent: number; requestedValuePence: number; approvedValuePence: number | null;
  decisionReason: string | null; decidedAt: string | null; decidedByName: string | null; createdAt: string; createdByName: string | null;
  contractId: string; contractReference: string; contractTitle: string; supplierName: string;
  measureCode: string | null; measureTitle: string | null; unit: string | null; pledgeValuePence: number | null; itemId: string | null; itemTitle: string | null; vcseName: string | null;
}

export function presentClaim(c: ClaimLike) {
  const basis = c.kind === 'activity'
    ? `${formatQuantity(c.quantityMilli ?? 0, c.unit ?? undefined)} × ${formatPence(c.proxyValuePence ?? 0)} proxy value`
    : `Pledge value ${formatPence(c.pledgeValuePence ?? 0)}${c.upliftPercent ? ` plus ${c.upliftPercent}% priority-ward uplift` : ''}`;
  return {
    id: c.id, kind: c.kind, status: c.status, description: c.description,
    contract: `${c.contractReference}: ${c.contractTitle}`, contractId: c.contractId, contractReference: c.contractReference, supplier: c.supplierName,
    what: c.kind === 'activity' ? `Activity: ${c.measureCode ?? ''} ${c.measureTitle ?? ''}`.trim() : `Wishlist pledge: ${c.itemTitle ?? ''}${c.vcseName ? ` (${c.vcseName})` : ''}`,
    itemId: c.itemId,
    basis,
    requested: formatPence(c.requestedValuePence),
    requestedPence: c.requestedValuePence,
    approved: c.approvedValuePence === null ? null : formatPence(c.approvedValuePence),
    decisionReason: c.decisionReason, decidedBy: c.decidedByName, decidedAt: c.decidedAt ? formatDate(c.decidedAt) : null,
    made: formatDate(c.createdAt), madeBy: c.createdByName,
  };
}

export function presentEvidence(claimId: string, rows: Array<{ id: string; kind: 'file' | 'link'; fileName: string | null; sizeBytes: number | null; url: string | null; title: string | null }>): EvidenceItem[] {
  return rows.map((e) => ({
    id: e.id,
    kind: e.kind,
    label: e.kind === 'file' ? (e.fileName ?? 'File') : (e.title || e.url || 'Link'),
    detail: e.kind === 'file' && e.sizeBytes ? formatBytes(e.sizeBytes) : null,
    // Only web addresses become links (never javascript: or data:).
    href: e.kind === 'file' ? `/credits/claims/${claimId}/evidence/${e.id}` : e.url && /^https?:\/\//i.test(e.url) ? e.url : null,
    url: e.kind === 'link' ? e.url : null,
  }));
}
