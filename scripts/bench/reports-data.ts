// Seeds a large authority into a migrated database, fast: raw better-sqlite3
// prepared statements in one transaction. About 2,000 contracts, 20,000
// commitments, 200,000 progress returns and 1,000,000 ledger postings (500,000
// balanced two-posting transactions, written postings first and sealed by the
// transaction row, so the ledger's triggers check every one), plus claims,
// swaps, wishlist items, pledges and stories. Used by reports.bench.ts;
// deterministic for a seed.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type SQLite from 'better-sqlite3';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THEMES = ['Jobs', 'Skills', 'Communities', 'Environment', 'Health and wellbeing', 'Local economy'];
const UNITS = ['FTE', 'hours', 'tonnes', 'weeks', '£ spend'];

export interface Scale { contracts: number; commitmentsPerContract: number; returnsPerCommitment: number; transactionsPerContract: number }
export const LARGE: Scale = { contracts: 2_000, commitmentsPerContract: 10, returnsPerCommitment: 10, transactionsPerContract: 250 };

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
};

export interface Seeded { officerId: string; sessionToken: string; counts: Record<string, number> }

export function seedLargeAuthority(sqlite: SQLite.Database, scale: Scale = LARGE, seed = 7): Seeded {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const now = new Date().toISOString();
  const counts: Record<string, number> = { contracts: 0, commitments: 0, returns: 0, transactions: 0, postings: 0 };

  const run = sqlite.transaction(() => {
    const council = randomUUID();
    sqlite.prepare(`INSERT INTO organisation (id, name, kind, status, created_at, updated_at) VALUES (?, 'Bench Council', 'council', 'verified', ?, ?)`).run(council, now, now);
    const officerId = randomUUID();
    sqlite.prepare(`INSERT INTO user (id, email, name, role, organisation_id, created_at, updated_at) VALUES (?, 'officer@bench.invalid', 'Bench Officer', 'officer', ?, ?, ?)`).run(officerId, council, now, now);
    const secret = randomBytes(24).toString('base64url');
    const sessionId = randomBytes(15).toString('base64url');
    const later = new Date(Date.now() + 6 * 86_400_000).toISOString();
    sqlite.prepare(`INSERT INTO session (id, secret_hash, user_id, created_at, expires_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(sessionId, createHash('sha256').update(secret).digest('hex'), officerId, now, later, later);

    const wardIds = Array.from({ length: 24 }, (_, i) => {
      const id = randomUUID();
      sqlite.prepare(`INSERT INTO ward (id, name, is_priority) VALUES (?, ?, ?)`).run(id, `Bench ward ${i + 1}`, i % 5 === 0 ? 1 : 0);
      return id;
    });
    const insertMeasure = sqlite.prepare(`INSERT INTO measure (id, code, theme, outcome, title, unit, proxy_value_pence, framework_year, created_at, updated_at) VALUES (?, ?, ?, 'Outcome', ?, ?, ?, 2026, ?, ?)`);
    const measures = Array.from({ length: 60 }, (_, i) => {
      const m = { id: randomUUID(), theme: THEMES[i % THEMES.length]!, proxy: int(100, 3_000_000) };
      insertMeasure.run(m.id, `BM${String(i + 1).padStart(3, '0')}`, m.theme, `Bench measure ${i + 1}`, pick(UNITS), m.proxy, now, now);
      return m;
    });
    const insertOrg = sqlite.prepare(`INSERT INTO organisation (id, name, kind, status, created_at, updated_at) VALUES (?, ?, 'supplier', 'verified', ?, ?)`);
    const suppliers = Array.from({ length: 300 }, (_, i) => { const id = randomUUID(); insertOrg.run(id, `Bench Supplier ${i + 1} Ltd`, now, now); return id; });
    const contractorId = randomUUID();
    sqlite.prepare(`INSERT INTO user (id, email, name, role, organisation_id, created_at, updated_at) VALUES (?, 'contractor@bench.invalid', 'Bench Contractor', 'contractor', ?, ?, ?)`).run(contractorId, suppliers[0], now, now);

    const insertContract = sqlite.prepare(`INSERT INTO contract (id, reference, title, supplier_id, value_pence, start_date, end_date, officer_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertCommitment = sqlite.prepare(`INSERT INTO commitment (id, contract_id, measure_id, target_milli, proxy_value_pence, due_date, ward_id, description, delivered_milli, substituted_milli, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'Bench commitment', 0, 0, ?, ?)`);
    const setDelivered = sqlite.prepare(`UPDATE commitment SET delivered_milli = ?, substituted_milli = ? WHERE id = ?`);
    const insertReturn = sqlite.prepare(`INSERT INTO progress_return (id, commitment_id, contract_id, supplier_id, period_start, period_end, quantity_milli, narrative, is_story, status, approved_quantity_milli, decided_by, decided_at, submitted_at, first_submitted_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'Bench return', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertAccount = sqlite.prepare(`INSERT INTO ledger_account (id, contract_id, kind, commitment_id, created_at) VALUES (?, ?, ?, ?, ?)`);
    const insertPosting = sqlite.prepare(`INSERT INTO ledger_posting (transaction_id, account_id, amount_pence) VALUES (?, ?, ?)`);
    const insertTransaction = sqlite.prepare(`INSERT INTO ledger_transaction (id, contract_id, kind, source_type, source_id, reason, approved_by, booked_at) VALUES (?, ?, ?, ?, ?, 'Bench', ?, ?)`);
    const insertSwap = sqlite.prepare(`INSERT INTO credit_swap (id, contract_id, supplier_id, commitment_id, method, quantity_milli, value_pence, reason, status, decided_by, decided_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'credits', ?, ?, 'Bench', 'approved', ?, ?, ?, ?, ?)`);
    const insertClaim = sqlite.prepare(`INSERT INTO credit_claim (id, contract_id, supplier_id, kind, measure_id, quantity_milli, proxy_value_pence, description, requested_value_pence, approved_value_pence, status, decided_by, decided_at, created_by, created_at, updated_at) VALUES (?, ?, ?, 'activity', ?, 1000, ?, 'Bench', ?, ?, 'approved', ?, ?, ?, ?, ?)`);

    for (let c = 0; c < scale.contracts; c += 1) {
      const contractId = randomUUID();
      const supplierId = pick(suppliers);
      const start = addMonths('2022-04-01', int(0, 54));
      const startDate = iso(start);
      const endDate = iso(new Date(Date.UTC(start.getUTCFullYear() + int(1, 5), start.getUTCMonth(), 0)));
      insertContract.run(contractId, `BENCH-${String(c + 1).padStart(5, '0')}`, `Bench contract ${c + 1}`, supplierId, int(100_000, 500_000_000), startDate, endDate, officerId, 'active', now, now);
      counts.contracts! += 1;
      const commitments: Array<{ id: string; proxy: number }> = [];
      for (let k = 0; k < scale.commitmentsPerContract; k += 1) {
        const measure = pick(measures);
        const id = randomUUID();
        insertCommitment.run(id, contractId, measure.id, int(1_000, 500_000), measure.proxy, endDate, random() < 0.8 ? pick(wardIds) : null, now, now);
        commitments.push({ id, proxy: measure.proxy });
        counts.commitments! += 1;
        let delivered = 0;
        for (let q = 0; q < scale.returnsPerCommitment; q += 1) {
          const periodStart = addMonths(startDate, q * 3);
          const periodEnd = iso(new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 3, 0)));
          const roll = random();
          const status = roll < 0.8 ? 'approved' : roll < 0.9 ? 'submitted' : roll < 0.95 ? 'rejected' : 'draft';
          const claimed = int(0, 40_000);
          const approved = status === 'approved' ? claimed : null;
          delivered += approved ?? 0;
          const decided = status === 'approved' || status === 'rejected' ? `${periodEnd}T12:00:00.000Z` : null;
          const sent = status === 'draft' ? null : `${periodEnd}T09:00:00.000Z`;
          insertReturn.run(randomUUID(), id, contractId, supplierId, iso(periodStart), periodEnd, claimed, status, approved, decided ? officerId : null, decided, sent, sent, contractorId, now, now);
          counts.returns! += 1;
        }
        setDelivered.run(delivered, 0, id);
      }
      // The ledger: earned and claimed credits into the balance, some spent on swaps against a commitment.
      const balance = randomUUID();
      const earned = randomUUID();
      const claimed = randomUUID();
      insertAccount.run(balance, contractId, 'balance', null, now);
      insertAccount.run(earned, contractId, 'earned', null, now);
      insertAccount.run(claimed, contractId, 'claimed', null, now);
      const substituted = new Map<string, string>();
      let held = 0;
      for (let t = 0; t < scale.transactionsPerContract; t += 1) {
        const txId = randomUUID();
        const bookedAt = `${iso(addMonths(startDate, Math.floor((t / scale.transactionsPerContract) * 36)))}T10:00:00.000Z`;
        if (held > 10_000 && random() < 0.2) {
          const commitment = pick(commitments);
          let account = substituted.get(commitment.id);
          if (!account) { account = randomUUID(); insertAccount.run(account, contractId, 'substituted', commitment.id, now); substituted.set(commitment.id, account); }
          const spend = int(1, Math.min(held, 50_000));
          const swapId = randomUUID();
          insertSwap.run(swapId, contractId, supplierId, commitment.id, Math.max(1, Math.round((spend * 1000) / Math.max(1, commitment.proxy))), spend, officerId, bookedAt, contractorId, now, now);
          insertPosting.run(txId, account, spend);
          insertPosting.run(txId, balance, -spend);
          insertTransaction.run(txId, contractId, 'swap', 'credit_swap', swapId, officerId, bookedAt);
          held -= spend;
        } else if (random() < 0.5) {
          const amount = int(1, 100_000);
          const claimId = randomUUID();
          insertClaim.run(claimId, contractId, supplierId, pick(measures).id, amount, amount, amount, officerId, bookedAt, contractorId, now, now);
          insertPosting.run(txId, balance, amount);
          insertPosting.run(txId, claimed, -amount);
          insertTransaction.run(txId, contractId, 'claim', 'credit_claim', claimId, officerId, bookedAt);
          held += amount;
        } else {
          const amount = int(1, 100_000);
          insertPosting.run(txId, balance, amount);
          insertPosting.run(txId, earned, -amount);
          insertTransaction.run(txId, contractId, 'earned', 'progress_return', randomUUID(), officerId, bookedAt);
          held += amount;
        }
        counts.transactions! += 1;
        counts.postings! += 2;
      }
    }

    // Wishlist needs, pledges and stories.
    const vcse = randomUUID();
    sqlite.prepare(`INSERT INTO organisation (id, name, kind, status, created_at, updated_at) VALUES (?, 'Bench Pantry', 'vcse', 'verified', ?, ?)`).run(vcse, now, now);
    const vcseUser = randomUUID();
    sqlite.prepare(`INSERT INTO user (id, email, name, role, organisation_id, created_at, updated_at) VALUES (?, 'vcse@bench.invalid', 'Bench VCSE', 'vcse', ?, ?, ?)`).run(vcseUser, vcse, now, now);
    const insertItem = sqlite.prepare(`INSERT INTO wishlist_item (id, organisation_id, title, description, category, theme, ward_id, estimated_value_pence, status, published_at, created_by, created_at, updated_at) VALUES (?, ?, ?, 'A bench need', 'goods', ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertPledge = sqlite.prepare(`INSERT INTO pledge (id, item_id, supplier_id, description, value_pence, expected_date, status, confirmed_by, confirmed_at, created_by, created_at, updated_at) VALUES (?, ?, ?, 'Bench pledge', ?, '2026-01-01', ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < 5_000; i += 1) {
      const id = randomUUID();
      const status = pick(['published', 'pledged', 'fulfilled', 'closed'] as const);
      insertItem.run(id, vcse, `Bench need ${i}`, pick(THEMES), pick(wardIds), int(100, 1_000_000), status, now, vcseUser, now, now);
      for (let p = 0; p < 2; p += 1) {
        const confirmed = status === 'fulfilled' || status === 'closed';
        const at = confirmed ? `${iso(addMonths('2023-04-01', int(0, 44)))}T10:00:00.000Z` : null;
        insertPledge.run(randomUUID(), id, pick(suppliers), int(100, 500_000), confirmed ? 'confirmed' : 'accepted', at ? vcseUser : null, at, contractorId, now, now);
      }
    }
    const insertStory = sqlite.prepare(`INSERT INTO story (id, source_type, source_id, organisation_id, title, body, consent_note, consent_recorded_at, status, published_at, published_by, created_by, created_at, updated_at) VALUES (?, 'progress_return', ?, ?, ?, ?, 'Consent recorded', ?, 'published', ?, ?, ?, ?, ?)`);
    for (let s = 0; s < 300; s += 1) {
      const id = randomUUID();
      const at = `${iso(addMonths('2023-04-01', int(0, 44)))}T10:00:00.000Z`;
      insertStory.run(id, randomUUID(), vcse, `Bench story ${s}`, 'A story of impact. '.repeat(40), now, at, officerId, officerId, now, now);
    }
    return { officerId, sessionToken: `${sessionId}.${secret}` };
  });
  const { officerId, sessionToken } = run();
  return { officerId, sessionToken, counts };
}
