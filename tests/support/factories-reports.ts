import { getDb } from '../../db/client';
import type { ReturnStatus } from '../../db/schema';
import { bookTransaction } from '~/modules/credits/ledger.server';
import { newId } from '~/utils/ids.server';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser, makeWard } from './factories';

// A rich, random (but reproducible from its seed) authority for the reports'
// agreement tests: suppliers, contracts over several years, commitments with and
// without wards, returns in every status, approved swaps, ledger bookings,
// claims, wishlist items with pledges, and stories.

/** mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const QUARTERS = ['2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01', '2027-01-01'];
const quarterEnd = (start: string) => {
  const [y, m] = start.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m + 2, 0));
  return end.toISOString().slice(0, 10);
};

export interface ReportWorld {
  officerId: string;
  supplierIds: string[];
  contractIds: string[];
  commitmentIds: string[];
  themes: string[];
}

async function insertReturn(commitmentId: string, contractId: string, supplierId: string, createdBy: string, officerId: string, periodStart: string, status: ReturnStatus, quantityMilli: number, approvedMilli: number | null, decidedAt: string) {
  const now = new Date().toISOString();
  await getDb().insertInto('progress_return').values({
    id: newId(), commitment_id: commitmentId, contract_id: contractId, supplier_id: supplierId, period_start: periodStart, period_end: quarterEnd(periodStart),
    quantity_milli: quantityMilli, narrative: 'Delivered', is_story: 0, status, approved_quantity_milli: approvedMilli, decision_reason: null,
    decided_by: status === 'approved' || status === 'rejected' ? officerId : null, decided_at: status === 'approved' || status === 'rejected' ? decidedAt : null,
    submitted_at: status === 'draft' ? null : now, first_submitted_at: status === 'draft' ? null : now, created_by: createdBy, created_at: now, updated_at: now,
  }).execute();
}

/**
 * Builds the world. Each commitment's delivered_milli and substituted_milli are
 * the sums of its approved returns and swaps, as the approving services keep them.
 */
export async function makeReportWorld(seed: number, { suppliers = 4, contracts = 6 } = {}): Promise<ReportWorld> {
  const r = prng(seed);
  const db = getDb();
  const officer = await makeUser('officer');
  const wards = [await makeWard(), await makeWard(), await makeWard(undefined, true)];
  const themes = [`Jobs ${seed}`, `Environment ${seed}`, `Communities ${seed}`];
  const measures = [];
  for (let i = 0; i < 5; i += 1) measures.push(await makeMeasure({ theme: themes[i % 3]!, unit: r.pick(['FTE', 'hours', 'tonnes']), proxyPence: r.int(1, 3_000_000) }));
  const supplierList = [];
  for (let i = 0; i < suppliers; i += 1) {
    const org = await makeOrganisation('supplier');
    const user = await makeUser('contractor', { organisationId: org.id });
    supplierList.push({ ...org, userId: user.id });
  }
  const world: ReportWorld = { officerId: officer.id, supplierIds: supplierList.map((s) => s.id), contractIds: [], commitmentIds: [], themes };
  for (let c = 0; c < contracts; c += 1) {
    const supplier = r.pick(supplierList);
    const startQuarter = r.int(0, 5);
    const startDate = QUARTERS[startQuarter]!;
    const endDate = r.pick(['2026-03-31', '2026-12-31', '2027-03-31', '2028-03-31']);
    const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, startDate: startDate < endDate ? startDate : '2025-04-01', endDate, status: r.pick(['active', 'active', 'completed']) });
    world.contractIds.push(contract.id);
    const n = r.int(1, 5);
    for (let k = 0; k < n; k += 1) {
      const measure = r.pick(measures);
      const target = r.int(1, 400_000);
      const commitment = await makeCommitment(contract.id, measure.id, {
        targetMilli: target, proxyPence: r.int(0, 1) ? measure.proxyPence : r.int(1, 5_000_000), wardId: r.int(0, 3) === 0 ? null : r.pick(wards).id, dueDate: endDate,
      });
      world.commitmentIds.push(commitment.id);
      let delivered = 0;
      for (const q of QUARTERS) {
        if (q < contract.startDate || q > endDate || r.next() < 0.3) continue;
        const status = r.pick<ReturnStatus>(['approved', 'approved', 'approved', 'submitted', 'draft', 'rejected', 'more_info_requested']);
        const claimed = r.int(0, 60_000);
        const approved = status === 'approved' ? r.int(0, claimed) : null;
        delivered += approved ?? 0;
        await insertReturn(commitment.id, contract.id, supplier.id, supplier.userId, officer.id, q, status, claimed, approved, `${quarterEnd(q)}T10:00:00.000Z`);
      }
      let substituted = 0;
      if (r.next() < 0.4) {
        for (let s = 0; s < r.int(1, 2); s += 1) {
          const status = r.pick(['approved', 'approved', 'rejected', 'requested'] as const);
          const qty = r.int(1, 20_000);
          if (status === 'approved') substituted += qty;
          const now = new Date().toISOString();
          const decided = status === 'requested' ? null : `${r.pick(['2025-06-15', '2026-03-31', '2026-04-01', '2026-11-02', '2027-02-10'])}T12:00:00.000Z`;
          await db.insertInto('credit_swap').values({
            id: newId(), contract_id: contract.id, supplier_id: supplier.id, commitment_id: commitment.id, method: 'credits', quantity_milli: qty,
            value_pence: Math.max(1, Math.round((qty * commitment.proxyPence) / 1000)), reason: 'Cannot deliver', status,
            decided_by: decided ? officer.id : null, decided_at: decided, created_by: supplier.userId, created_at: now, updated_at: now,
          }).execute();
        }
      }
      await db.updateTable('commitment').set({ delivered_milli: delivered, substituted_milli: substituted }).where('id', '=', commitment.id).execute();
    }
    // Credits: earned surplus and approved claims, booked in the ledger, some spent on swaps, one reversed.
    for (let t = 0; t < r.int(0, 3); t += 1) {
      const pence = r.int(1, 500_000);
      const at = `${r.pick(['2025-05-01', '2026-04-01', '2026-09-30', '2027-03-31', '2027-04-01'])}T09:00:00.000Z`;
      const claimId = newId();
      const now = new Date().toISOString();
      await db.insertInto('credit_claim').values({
        id: claimId, contract_id: contract.id, supplier_id: supplier.id, kind: 'activity', measure_id: measures[0]!.id, quantity_milli: 1000, proxy_value_pence: pence,
        description: 'Extra activity', requested_value_pence: pence + 100, approved_value_pence: pence, status: 'approved', decided_by: officer.id, decided_at: at,
        created_by: supplier.userId, created_at: now, updated_at: now,
      }).execute();
      const earned = r.int(1, 300_000);
      await db.transaction().execute(async (tx) => {
        await bookTransaction(tx, { contractId: contract.id, kind: 'claim', sourceType: 'credit_claim', sourceId: claimId, reason: 'Claim', approvedBy: officer.id, at,
          postings: [{ kind: 'balance', amountPence: pence }, { kind: 'claimed', amountPence: -pence }] });
        const earnedId = await bookTransaction(tx, { contractId: contract.id, kind: 'earned', sourceType: 'progress_return', sourceId: newId(), reason: 'Surplus', approvedBy: officer.id, at,
          postings: [{ kind: 'balance', amountPence: earned }, { kind: 'earned', amountPence: -earned }] });
        if (r.next() < 0.3) {
          await bookTransaction(tx, { contractId: contract.id, kind: 'reversal', sourceType: 'ledger_transaction', sourceId: earnedId, reversesId: earnedId, reason: 'Mistake', approvedBy: officer.id, at,
            postings: [{ kind: 'balance', amountPence: -earned }, { kind: 'earned', amountPence: earned }] });
        }
      });
      const cid = world.commitmentIds.at(-1)!;
      const spend = r.int(1, pence);
      await db.transaction().execute((tx) => bookTransaction(tx, { contractId: contract.id, kind: 'swap', sourceType: 'credit_swap', sourceId: newId(), reason: 'Swap', approvedBy: officer.id, at,
        postings: [{ kind: 'substituted', commitmentId: cid, amountPence: spend }, { kind: 'balance', amountPence: -spend }] }));
    }
  }
  await makeWishlistAndStories(seed, supplierList, world.contractIds, officer.id, wards.map((w) => w.id), themes);
  return world;
}

async function makeWishlistAndStories(seed: number, suppliers: Array<{ id: string; userId: string }>, contractIds: string[], officerId: string, wardIds: string[], themes: string[]) {
  const r = prng(seed + 1);
  const db = getDb();
  const vcse = await makeOrganisation('vcse');
  const vcseUser = await makeUser('vcse', { organisationId: vcse.id });
  const now = new Date().toISOString();
  for (let i = 0; i < 8; i += 1) {
    const id = newId();
    const status = r.pick(['published', 'pledged', 'fulfilled', 'closed', 'withdrawn', 'draft'] as const);
    await db.insertInto('wishlist_item').values({
      id, organisation_id: vcse.id, title: `Need ${seed}-${i}`, description: 'A need', category: 'goods', theme: r.pick(themes), ward_id: r.pick(wardIds),
      estimated_value_pence: r.int(100, 500_000), status, created_by: vcseUser.id, created_at: now, updated_at: now,
      published_at: status === 'draft' ? null : now,
    }).execute();
    for (let p = 0; p < r.int(0, 3); p += 1) {
      const supplier = r.pick(suppliers);
      const pStatus = r.pick(['offered', 'accepted', 'confirmed', 'confirmed', 'declined', 'delivered'] as const);
      const confirmedAt = pStatus === 'confirmed' ? `${r.pick(['2026-01-10', '2026-06-10', '2027-02-01'])}T10:00:00.000Z` : null;
      await db.insertInto('pledge').values({
        id: newId(), item_id: id, supplier_id: supplier.id, contract_id: null, description: 'Pledge', value_pence: r.int(1, 200_000), expected_date: '2026-12-01',
        status: pStatus, confirmed_by: confirmedAt ? vcseUser.id : null, confirmed_at: confirmedAt, created_by: supplier.userId, created_at: now, updated_at: now,
      }).execute();
    }
  }
  for (let s = 0; s < 5; s += 1) {
    const status = r.pick(['published', 'published', 'draft', 'unpublished'] as const);
    const publishedAt = status === 'draft' ? null : `${r.pick(['2025-12-01', '2026-05-05', '2026-10-20', '2027-04-02'])}T10:00:00.000Z`;
    await db.insertInto('story').values({
      id: newId(), source_type: 'progress_return', source_id: newId(), contract_id: r.pick(contractIds), organisation_id: null, title: `Story ${seed}-${s}`,
      body: `Body of story ${s}. `.repeat(30), consent_note: 'Consent given by the people named', consent_recorded_at: now, status,
      published_at: publishedAt, published_by: publishedAt ? officerId : null, created_by: officerId, created_at: now, updated_at: now,
    }).execute();
  }
}
