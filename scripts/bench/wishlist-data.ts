// Seeds a large public wishlist into a migrated database, fast: raw
// better-sqlite3 prepared statements in one transaction (the FTS triggers fill
// the search index as rows go in). Used by wishlist.bench.ts; deterministic for a seed.
import { randomUUID } from 'node:crypto';
import type SQLite from 'better-sqlite3';

const NEEDS = [
  'Laptops', 'Tablets', 'Printer', 'Desktop computers', 'Football kit', 'Cricket nets', 'Sewing machines', 'Gardening tools',
  'Raised beds', 'Polytunnel', 'Minibus', 'Wheelchair ramp', 'Chest freezer', 'Commercial fridge', 'Cooker', 'Tables and chairs',
  'Gazebo', 'Sound system', 'Projector', 'Art materials', 'Books', 'Board games', 'Winter coats', 'School uniforms', 'Bikes',
  'Bike repair tools', 'First aid training', 'Accountancy advice', 'Legal advice', 'Website design', 'Painting and decorating',
  'Plumbing repairs', 'Electrical safety checks', 'Roof repairs', 'Volunteer drivers', 'Volunteer mentors', 'Litter pickers',
  'Hall hire', 'Storage space', 'Office space', 'Allotment plot', 'Funding for heating', 'Funding for a coordinator', 'Solar panels',
  'Insulation', 'Food donations', 'Hygiene products', 'Baby equipment', 'Musical instruments', 'Camping equipment',
];
const FOR = [
  'the homework club', 'our food pantry', 'the youth club', 'the community garden', 'older residents', 'the lunch club',
  'the warm space', 'our refugee welcome group', 'the parent and toddler group', 'the men’s shed', 'the repair café',
  'the junior football team', 'the carers’ group', 'the foodbank', 'our tenants’ association', 'the library friends',
  'the community choir', 'the allotment society', 'the after-school club', 'our befriending service',
];
const WORDS = (
  'community local residents families children young people volunteers support help weekly session group project centre hall ' +
  'kitchen garden youth older isolated lonely skills training employment jobs digital inclusion access learning confidence ' +
  'health wellbeing mental physical activity sport food poverty warm safe welcoming space neighbourhood estate ward council ' +
  'donate donation replace broken old worn equipment new better improve extend open evenings weekends holidays summer winter ' +
  'school college apprentice mentor advice repair recycle reuse environment green carbon energy bills heating cost living'
).split(' ');
const CATEGORIES = ['goods', 'skills', 'volunteering', 'funding', 'space'] as const;
const THEMES = ['Jobs', 'Skills', 'Communities', 'Environment', 'Health and wellbeing', 'Local economy'];
const PUBLIC = ['published', 'published', 'published', 'published', 'pledged', 'fulfilled'] as const;

/** Mulberry32: a small deterministic PRNG. */
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

export interface SeededWishlist {
  wardIds: string[];
  themes: string[];
  items: number;
}

/**
 * Inserts `items` public wishlist items (plus `hiddenItems` drafts, rejected and withdrawn
 * ones that must never show) across 20 wards and 250 VCSE organisations.
 */
export function seedLargeWishlist(sqlite: SQLite.Database, { items = 50_000, hiddenItems = 2_000, seed = 2026 } = {}): SeededWishlist {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const now = new Date('2026-11-25T12:00:00Z').getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = 86_400_000;

  const wardIds: string[] = [];
  const insertWard = sqlite.prepare('INSERT INTO ward (id, name, is_priority) VALUES (?, ?, ?)');
  const insertOrg = sqlite.prepare(`INSERT INTO organisation (id, name, kind, status, ward_id, description, website, contact_email, created_at, updated_at)
    VALUES (?, ?, 'vcse', 'verified', ?, ?, ?, ?, ?, ?)`);
  const insertUser = sqlite.prepare(`INSERT INTO user (id, email, name, role, organisation_id, created_at, updated_at) VALUES (?, ?, ?, 'vcse', ?, ?, ?)`);
  const insertItem = sqlite.prepare(`INSERT INTO wishlist_item (id, organisation_id, title, description, category, theme, ward_id, estimated_value_pence,
    quantity_detail, needed_by, status, submitted_at, published_at, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  sqlite.transaction(() => {
    for (let w = 0; w < 20; w += 1) {
      const id = randomUUID();
      wardIds.push(id);
      insertWard.run(id, `Bench ward ${String(w + 1).padStart(2, '0')}`, w % 5 === 0 ? 1 : 0);
    }
    const orgs: Array<{ id: string; userId: string; wardId: string }> = [];
    for (let o = 0; o < 250; o += 1) {
      const id = randomUUID();
      const userId = randomUUID();
      const wardId = pick(wardIds);
      const created = iso(now - 800 * day);
      insertOrg.run(id, `${pick(['Northbridge', 'Eastfield', 'Riverside', 'Hillside', 'Oakwood', 'Millbrook'])} ${pick(['Community Trust', 'Youth Project', 'Pantry', 'Men’s Shed', 'Garden Society', 'Tenants Association', 'Foodbank', 'Arts Collective'])} ${o + 1}`,
        wardId, 'A local community organisation.', `https://example.org/bench-${o + 1}`, `bench-${o + 1}@example.org`, created, created);
      insertUser.run(userId, `bench-user-${o + 1}-${seed}@example.org`, `Bench user ${o + 1}`, id, created, created);
      orgs.push({ id, userId, wardId });
    }
    const total = items + hiddenItems;
    for (let n = 0; n < total; n += 1) {
      const org = pick(orgs);
      const hidden = n >= items;
      const status = hidden ? pick(['draft', 'submitted', 'rejected', 'withdrawn', 'closed', 'expired'] as const) : pick(PUBLIC);
      const created = now - Math.floor(random() * 700 * day);
      const published = status === 'draft' || status === 'submitted' || status === 'rejected' ? null : iso(created + day);
      const sentence = () => Array.from({ length: 8 + Math.floor(random() * 10) }, () => pick(WORDS)).join(' ');
      const description = `${sentence()}. ${sentence()}. ${sentence()}.`;
      const neededBy = random() < 0.2 ? null : iso(now + Math.floor(random() * 500 - 100) * day).slice(0, 10);
      insertItem.run(
        randomUUID(), org.id, `${pick(NEEDS)} for ${pick(FOR)}`, description, pick(CATEGORIES), pick(THEMES),
        random() < 0.9 ? pick(wardIds) : null, Math.floor(random() * 500_000) * 10, `${1 + Math.floor(random() * 20)} needed`, neededBy,
        status, iso(created), published, org.userId, iso(created), iso(created + 2 * day),
      );
    }
  })();
  return { wardIds, themes: THEMES, items };
}
