import type { Tx } from '#db/client';
import type { PledgeStatus, WishlistCategory } from '#db/schema';
import { systemActor } from '~/modules/audit/audit.server';
import { londonToday } from '~/modules/contracts/dates';
import { syncItemStatus } from '~/modules/pledges/item-status.server';
import { STEP_ACTIONS } from '~/modules/pledges/pledges.schema';
import { newId } from '~/utils/ids.server';
import { DAY } from '~/utils/time';

// Demo data only: pledges by Brightwater (contractor@demo.test) and Greenway
// (greenway@demo.test) to the published needs of Eastfield Community Pantry
// (vcse@demo.test) and Harbour Youth Project (youth@demo.test), in every state
// a demo needs: one offered and waiting for the pantry's answer, accepted,
// delivered, disputed, declined, and two confirmed by Brightwater that can be
// claimed as credits (two, so two browser journeys can each claim one).
// Each step is written to the audit trail with its time, as the services
// would, so the pledge pages show their history; the items' statuses then
// follow from syncItemStatus. Runs after the wishlist seed; with no published
// items it adds nothing.

type Supplier = 'brightwater' | 'greenway';
type Step = 'accept' | 'decline' | 'deliver' | 'confirm' | 'dispute';

interface DemoPledge {
  /** Whose need it prefers; any remaining published item is used when that organisation has none left. */
  organisation: 'pantry' | 'youth';
  supplier: Supplier;
  /** Share of the item's estimate, in percent. */
  share: number;
  contract?: string;
  steps: Step[];
  reasons?: Partial<Record<Step, string>>;
  isStory?: boolean;
  /** Shares its item with the pledge before it (declined, then another accepted). */
  sameItemAsPrevious?: boolean;
}

const DEMO_PLEDGES: DemoPledge[] = [
  { organisation: 'pantry', supplier: 'brightwater', share: 50, contract: 'NBC-2025-014', steps: [] },
  { organisation: 'pantry', supplier: 'brightwater', share: 100, contract: 'NBC-2025-014', steps: ['accept', 'deliver', 'confirm'], isStory: true,
    reasons: { accept: 'Thank you so much, this is exactly what we needed.', deliver: 'Delivered to the pantry on Tuesday morning and set up with the volunteers.' } },
  { organisation: 'pantry', supplier: 'brightwater', share: 40, steps: ['decline'], reasons: { decline: 'Thank you, but Greenway have offered to cover all of it.' } },
  { organisation: 'pantry', supplier: 'greenway', share: 100, contract: 'NBC-2025-031', steps: ['accept'], sameItemAsPrevious: true },
  { organisation: 'youth', supplier: 'brightwater', share: 100, contract: 'NBC-2026-003', steps: ['accept', 'deliver', 'confirm'],
    reasons: { deliver: 'Handed over at the youth club on Friday evening.' } },
  { organisation: 'youth', supplier: 'brightwater', share: 100, contract: 'NBC-2026-003', steps: ['accept', 'deliver'],
    reasons: { deliver: 'Delivered to the youth project office; signed for by Dan.' } },
  { organisation: 'youth', supplier: 'greenway', share: 60, steps: ['accept', 'deliver', 'dispute'],
    reasons: { deliver: 'Dropped off at reception.', dispute: 'Only half of what was pledged arrived. Could you check with your driver?' } },
];

const WHAT: Record<WishlistCategory, string> = {
  goods: 'We will buy and deliver what is needed, with our site team’s help to set it up.',
  skills: 'Two of our qualified staff will give three days of their time, arranged around your opening hours.',
  volunteering: 'A team of eight staff volunteers for a full day, with their own safety equipment.',
  funding: 'A grant from our community fund, paid in one instalment.',
  space: 'Free use of our training room and welfare cabin on weekday evenings.',
};

const STATUS_AFTER: Record<Step, PledgeStatus> = { accept: 'accepted', decline: 'declined', deliver: 'delivered', confirm: 'confirmed', dispute: 'disputed' };

export async function seedDemoPledges(tx: Tx): Promise<void> {
  const users = Object.fromEntries(
    (await tx.selectFrom('user').select(['id', 'email', 'organisation_id']).where('email', 'in', ['contractor@demo.test', 'greenway@demo.test', 'vcse@demo.test', 'youth@demo.test']).execute())
      .map((u) => [u.email, u]),
  );
  const [brightwater, greenway, pantry, youth] = ['contractor@demo.test', 'greenway@demo.test', 'vcse@demo.test', 'youth@demo.test'].map((email) => users[email]);
  if (!brightwater || !greenway || !pantry || !youth) return;
  const who = { brightwater, greenway, pantry, youth };
  const contracts = Object.fromEntries((await tx.selectFrom('contract').select(['id', 'reference']).execute()).map((c) => [c.reference, c.id]));
  const items = await tx
    .selectFrom('wishlist_item')
    .select(['id', 'organisation_id', 'category', 'estimated_value_pence'])
    .where('status', '=', 'published')
    .orderBy('published_at')
    .orderBy('title')
    .execute();
  const used = new Set<string>();
  const take = (organisationId: string) => {
    const item = items.find((i) => !used.has(i.id) && i.organisation_id === organisationId) ?? items.find((i) => !used.has(i.id));
    if (item) used.add(item.id);
    return item;
  };

  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  const today = londonToday();
  const inDays = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
  let previous: (typeof items)[number] | undefined;

  for (const [n, plan] of DEMO_PLEDGES.entries()) {
    const item = plan.sameItemAsPrevious && previous ? previous : take(who[plan.organisation].organisation_id);
    if (!item) break;
    previous = item;
    const supplier = who[plan.supplier];
    const recipient = who[plan.organisation];
    // The VCSE side is the item's own organisation's user when the item had to come from elsewhere.
    const vcseUser = item.organisation_id === recipient.organisation_id ? recipient
      : (await tx.selectFrom('user').select(['id', 'email', 'organisation_id']).where('organisation_id', '=', item.organisation_id).orderBy('created_at').executeTakeFirst());
    if (!vcseUser) continue;
    const estimate = item.estimated_value_pence > 0 ? item.estimated_value_pence : 25_000;
    const value = Math.max(100, Math.round((estimate * plan.share) / 100 / 100) * 100);
    const id = newId();
    let time = 30 - n; // days ago the pledge was offered
    const offeredAt = at(time);
    const row = {
      id, item_id: item.id, supplier_id: supplier.organisation_id, contract_id: plan.contract ? (contracts[plan.contract] ?? null) : null,
      description: WHAT[item.category], value_pence: value, expected_date: plan.steps.includes('deliver') ? inDays(-(time - 10)) : inDays(21 + n * 7),
      status: 'offered' as PledgeStatus, response_reason: null as string | null, delivery_note: null as string | null, is_story: plan.isStory ? 1 : 0,
      responded_by: null as string | null, responded_at: null as string | null, delivered_at: null as string | null,
      confirmed_by: null as string | null, confirmed_at: null as string | null,
      created_by: supplier.id, created_at: offeredAt, updated_at: offeredAt,
    };
    const audits: Array<{ action: string; userId: string; orgId: string; at: string; before: PledgeStatus | null; after: Record<string, unknown> }> = [
      { action: STEP_ACTIONS.offer, userId: supplier.id, orgId: supplier.organisation_id, at: offeredAt, before: null,
        after: { status: 'offered', itemId: item.id, contractId: row.contract_id, description: row.description, valuePence: value, expectedDate: row.expected_date, isStory: plan.isStory ?? false } },
    ];
    for (const step of plan.steps) {
      time -= step === 'accept' || step === 'decline' ? 3 : 4;
      const stepAt = at(time);
      const text = plan.reasons?.[step] ?? null;
      const bySupplier = step === 'deliver';
      const user = bySupplier ? supplier : vcseUser;
      const before = row.status;
      row.status = STATUS_AFTER[step];
      row.updated_at = stepAt;
      if (step === 'accept' || step === 'decline') Object.assign(row, { responded_by: user.id, responded_at: stepAt, response_reason: text });
      if (step === 'deliver') Object.assign(row, { delivered_at: stepAt, delivery_note: text });
      if (step === 'confirm') Object.assign(row, { confirmed_by: user.id, confirmed_at: stepAt });
      if (step === 'dispute') row.response_reason = text;
      audits.push({ action: STEP_ACTIONS[step], userId: user.id, orgId: user.organisation_id, at: stepAt, before, after: { status: row.status, ...(bySupplier ? { note: text } : { reason: text }) } });
    }
    await tx.insertInto('pledge').values(row).execute();
    for (const a of audits) {
      await tx.insertInto('audit_event').values({
        occurred_at: a.at, actor_user_id: a.userId, actor_organisation_id: a.orgId, action: a.action, subject_type: 'pledge', subject_id: id,
        before_json: a.before ? JSON.stringify({ status: a.before }) : null, after_json: JSON.stringify(a.after), request_id: 'demo-seed',
      }).execute();
    }
  }
  for (const itemId of new Set(items.filter((i) => used.has(i.id)).map((i) => i.id))) await syncItemStatus(tx, itemId, systemActor, { pledgeId: 'demo', step: 'seed' });
}
