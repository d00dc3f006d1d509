import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { formatDate } from '~/utils/time';
import type { HowMet, SwapEntry } from './how-met.server';

// How each commitment was met, as the contract page says it. Pure.

export interface HowMetLine {
  key: string;
  text: string;
  href: string;
  linkText: string;
  reversed: boolean;
}

export interface PresentedHowMet {
  commitmentId: string;
  measure: string;
  delivered: string;
  deliveredLines: HowMetLine[];
  substituted: string;
  substitutedLines: HowMetLine[];
  takenOn: string | null;
  takenOnLines: HowMetLine[];
  remaining: string;
  swapHref: string | null;
}

const approved = (at: string | null, by: string | null) => `approved${at ? ` ${formatDate(at)}` : ''}${by ? ` by ${by}` : ''}`;

function swapLine(s: SwapEntry, unit: string, side: 'out' | 'in'): HowMetLine {
  const quantity = formatQuantity(s.quantityMilli, unit);
  const value = formatPence(s.valuePence);
  let text: string;
  if (side === 'out') {
    text = s.method === 'credits'
      ? `${quantity} (${value}) met with credits from the contract\u2019s balance`
      : `${quantity} (${value}) met by taking on ${formatQuantity(s.otherQuantityMilli ?? 0, s.otherUnit ?? '')} of ${s.otherMeasure ?? 'another measure'}`;
  } else {
    text = `${quantity} taken on in place of ${formatQuantity(s.otherQuantityMilli ?? 0, s.otherUnit ?? '')} of ${s.otherMeasure ?? 'another commitment'} (${value})`;
  }
  return { key: `${side}-${s.swapId}`, text: `${text}, ${approved(s.decidedAt, s.decidedByName)}${s.reversed ? ' (reversed)' : ''}`, href: `/credits/swaps/${s.swapId}`, linkText: 'View swap', reversed: s.reversed };
}

export interface HowMetCommitment {
  id: string;
  measure: string;
  unit: string;
  targetMilli: number;
  deliveredMilli: number;
  substitutedMilli: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
}

export function presentHowMet(
  commitments: HowMetCommitment[], howMet: Map<string, HowMet>, takenOnPence: Map<string, number>,
  { canSwap }: { canSwap: boolean },
): PresentedHowMet[] {
  return commitments.map((c) => {
    const met = howMet.get(c.id) ?? { delivered: [], substitutedBy: [], takenOn: [] };
    const takenOn = takenOnPence.get(c.id) ?? 0;
    const remainingMilli = c.targetMilli - c.deliveredMilli - c.substitutedMilli;
    return {
      commitmentId: c.id,
      measure: c.measure,
      delivered: `${formatQuantity(c.deliveredMilli, c.unit)} (${formatPence(c.deliveredPence)})`,
      deliveredLines: met.delivered.map((d) => ({
        key: d.returnId, text: `${d.period}: ${formatQuantity(d.quantityMilli, c.unit)}, ${approved(d.decidedAt, d.decidedByName)}`,
        href: `/returns/${d.returnId}`, linkText: 'View return', reversed: false,
      })),
      substituted: `${formatQuantity(c.substitutedMilli, c.unit)} (${formatPence(c.substitutedPence)})`,
      substitutedLines: met.substitutedBy.map((s) => swapLine(s, c.unit, 'out')),
      takenOn: takenOn > 0 || met.takenOn.length > 0 ? formatPence(takenOn) : null,
      takenOnLines: met.takenOn.map((s) => swapLine(s, c.unit, 'in')),
      remaining: formatPence(c.remainingPence),
      swapHref: canSwap && remainingMilli > 0 ? `/credits/swaps/new?commitmentId=${encodeURIComponent(c.id)}` : null,
    };
  });
}

