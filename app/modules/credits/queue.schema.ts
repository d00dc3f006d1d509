// The officer's credit queue: its filters' vocabulary. No server imports: the page uses these too.

export const QUEUE_TYPES = ['claim', 'swap'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];
export const QUEUE_VIEWS = ['pending', 'decided'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export const QUEUE_TYPE_LABELS: Record<QueueType, string> = { claim: 'Claims', swap: 'Swaps' };
export const QUEUE_VIEW_LABELS: Record<QueueView, string> = { pending: 'Awaiting a decision', decided: 'Decided or withdrawn' };
