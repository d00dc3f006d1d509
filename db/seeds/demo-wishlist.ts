import type { DbOrTx } from '#db/client';
import type { WishlistCategory, WishlistStatus } from '#db/schema';
import { recordAudit } from '~/modules/audit/audit.server';
import { insertUser } from '~/modules/users/users.server';
import { newId } from '~/utils/ids.server';
import { DAY } from '~/utils/time';

// Demo data only: the community wishlist of the demo VCSE organisations, in
// every status a demo needs: mostly open (published), some awaiting moderation,
// drafts (one from Riverside Refugee Welcome, which is not yet verified and so
// cannot submit), one rejected with the officer's reason, one expired, one
// withdrawn. Themes are the demo framework's (db/seeds/demo-measures.ts).
// The pledges seed (demo-pledges.ts) runs next and pledges to the published ones.

type Org = 'pantry' | 'youth' | 'shed' | 'refugee';

interface DemoItem {
  org: Org;
  title: string;
  description: string;
  category: WishlistCategory;
  theme: string;
  ward: string | null;
  /** Pounds. */
  value: number;
  detail: string;
  neededBy: string | null;
  status: WishlistStatus;
  /** Days ago it was created (submitted and decided a little later). */
  age: number;
  reason?: string;
}

const ORG_NAMES: Record<Org, string> = {
  pantry: 'Eastfield Community Pantry',
  youth: 'Harbour Youth Project',
  shed: 'Millbrook Men’s Shed',
  refugee: 'Riverside Refugee Welcome',
};

// The demo framework's themes (its outcomes, named beside each, are not themes).
const CONNECTED = 'Healthier communities'; // healthier, more connected communities
const YOUNG = 'Skills'; // young people ready for work
const SECTOR = 'Growth'; // a stronger voluntary and community sector
const LONELINESS = 'Healthier communities'; // less loneliness
const GREENER = 'Environment'; // cleaner, greener places
const SKILLS = 'Skills'; // local people gain skills for work
const MENTAL = 'Healthier communities'; // better mental health
const ACTIVE = 'Healthier communities'; // more active residents
const WASTE = 'Environment'; // less waste

export const DEMO_ITEMS: DemoItem[] = [
  // Eastfield Community Pantry
  { org: 'pantry', title: 'Commercial chest freezer', description: 'Our old freezer has failed. A large chest freezer would let us accept frozen donations from supermarkets again, about 200 kg a week that is now going to waste.', category: 'goods', theme: WASTE, ward: 'Eastfield', value: 1_450, detail: '1 freezer, at least 500 litres', neededBy: '2027-02-28', status: 'published', age: 60 },
  { org: 'pantry', title: 'Van driver for Saturday collections', description: 'A volunteer with a full licence to drive our van on Saturday mornings, collecting surplus food from six shops in Eastfield and Castle.', category: 'volunteering', theme: WASTE, ward: 'Eastfield', value: 2_400, detail: '1 driver, 4 hours every Saturday for a year', neededBy: null, status: 'published', age: 55 },
  { org: 'pantry', title: 'Shelving for the storeroom', description: 'Heavy-duty steel shelving so that donations can be stored off the floor and rotated properly, as our environmental health officer has asked.', category: 'goods', theme: CONNECTED, ward: 'Eastfield', value: 850, detail: '6 bays of boltless shelving', neededBy: '2027-01-31', status: 'published', age: 50 },
  { org: 'pantry', title: 'Food hygiene training for volunteers', description: 'Level 2 food hygiene certificates for the twelve volunteers who prepare hot meals in our community kitchen.', category: 'skills', theme: SKILLS, ward: 'Eastfield', value: 600, detail: '12 places on a Level 2 course', neededBy: '2027-03-31', status: 'published', age: 45 },
  { org: 'pantry', title: 'Community kitchen refit', description: 'A second cooker, a commercial dishwasher and new worktops, so that we can serve hot lunches five days a week instead of two.', category: 'funding', theme: CONNECTED, ward: 'Eastfield', value: 9_500, detail: 'Equipment and fitting', neededBy: '2027-06-30', status: 'published', age: 40 },
  { org: 'pantry', title: 'Painting the dining hall', description: 'A team of volunteers for a day to repaint the dining hall where we serve lunches. We will supply the paint.', category: 'volunteering', theme: GREENER, ward: 'Eastfield', value: 1_200, detail: 'A team of 8 for one day', neededBy: '2027-04-30', status: 'published', age: 35 },
  { org: 'pantry', title: 'Laptop for the advice desk', description: 'A laptop so that our volunteer benefits adviser can help visitors apply for support online at the pantry.', category: 'goods', theme: CONNECTED, ward: 'Eastfield', value: 500, detail: '1 laptop with a webcam', neededBy: null, status: 'published', age: 30 },
  { org: 'pantry', title: 'Winter coats for families', description: 'Warm winter coats in children’s sizes for families using the pantry.', category: 'goods', theme: CONNECTED, ward: 'Eastfield', value: 1_800, detail: 'About 60 coats, ages 3 to 14', neededBy: '2026-10-31', status: 'expired', age: 120 },
  { org: 'pantry', title: 'Storage space for the Christmas appeal', description: 'A dry, secure room for six weeks to store donated toys and hampers before the Christmas appeal.', category: 'space', theme: CONNECTED, ward: 'Eastfield', value: 1_500, detail: 'About 40 square metres, November to mid-December', neededBy: '2027-11-15', status: 'submitted', age: 6 },
  { org: 'pantry', title: 'Cash for the pantry', description: 'Money.', category: 'funding', theme: SECTOR, ward: null, value: 50_000, detail: '', neededBy: null, status: 'rejected', age: 25,
    reason: 'Please say what the money is for and how much each part costs. Contractors pledge to specific needs, and £50,000 is far more than a contractor’s community fund can give. You could split it into separate items.' },
  { org: 'pantry', title: 'Fridge for the community kitchen', description: 'A second upright fridge for the kitchen.', category: 'goods', theme: WASTE, ward: 'Eastfield', value: 700, detail: '1 fridge', neededBy: null, status: 'draft', age: 2 },

  // Harbour Youth Project
  { org: 'youth', title: 'Laptops for the homework club', description: 'Six laptops so that young people without a computer at home can do their homework and coursework at the club, three evenings a week.', category: 'goods', theme: YOUNG, ward: 'Harbour', value: 2_700, detail: '6 laptops', neededBy: '2027-01-15', status: 'published', age: 58 },
  { org: 'youth', title: 'Careers mentors from local employers', description: 'People from local businesses to mentor 16 to 19 year olds: an hour a fortnight talking about work, applications and interviews.', category: 'skills', theme: YOUNG, ward: 'Harbour', value: 3_600, detail: '10 mentors for one school year', neededBy: '2027-09-01', status: 'published', age: 52 },
  { org: 'youth', title: 'Work experience placements', description: 'One-week placements on building sites, in offices or workshops for young people in Year 12.', category: 'skills', theme: YOUNG, ward: null, value: 4_000, detail: '8 placements of one week', neededBy: '2027-07-16', status: 'published', age: 48 },
  { org: 'youth', title: 'Minibus hire for summer trips', description: 'Minibus hire with a driver for four day trips in the summer holidays, for young people who rarely leave the estate.', category: 'funding', theme: ACTIVE, ward: 'Harbour', value: 1_600, detail: '4 days, 16 seats', neededBy: '2027-07-20', status: 'published', age: 42 },
  { org: 'youth', title: 'Sports kit for the football team', description: 'Shirts, shorts, socks and two goals for our under-16s football team, which trains twice a week.', category: 'goods', theme: ACTIVE, ward: 'Harbour', value: 1_100, detail: '20 kits and 2 portable goals', neededBy: '2027-03-01', status: 'published', age: 38 },
  { org: 'youth', title: 'Garden makeover at the youth centre', description: 'Help to turn the yard behind the youth centre into a garden with raised beds and seating, with the young people working alongside.', category: 'volunteering', theme: GREENER, ward: 'Harbour', value: 2_200, detail: 'A team of 10 for two days, plus timber', neededBy: '2027-05-31', status: 'published', age: 28 },
  { org: 'youth', title: 'Counselling sessions', description: 'Funding for a qualified counsellor one afternoon a week for young people on the CAMHS waiting list.', category: 'funding', theme: MENTAL, ward: 'Harbour', value: 7_800, detail: '40 afternoons', neededBy: '2027-12-31', status: 'submitted', age: 4 },
  { org: 'youth', title: 'Music studio equipment', description: 'A microphone, audio interface and headphones for the music group.', category: 'goods', theme: YOUNG, ward: 'Harbour', value: 900, detail: '1 set', neededBy: null, status: 'withdrawn', age: 70 },

  // Millbrook Men’s Shed
  { org: 'shed', title: 'Dust extraction for the workshop', description: 'A proper dust extractor for the woodwork shop. Several members have breathing problems and the fine dust makes them worse.', category: 'goods', theme: LONELINESS, ward: 'Millbrook', value: 1_300, detail: '1 extractor with ducting', neededBy: '2027-02-15', status: 'published', age: 46 },
  { org: 'shed', title: 'Electrician to rewire the shed', description: 'A qualified electrician to rewire the workshop so that we can safely run more than one power tool at a time.', category: 'skills', theme: LONELINESS, ward: 'Millbrook', value: 2_500, detail: 'About 3 days of work', neededBy: '2027-04-01', status: 'published', age: 33 },
  { org: 'shed', title: 'Timber for bird boxes and benches', description: 'Offcuts of untreated timber for our projects: bird boxes for local schools and benches for the park.', category: 'goods', theme: GREENER, ward: 'Millbrook', value: 400, detail: 'About a van load', neededBy: null, status: 'published', age: 20 },
  { org: 'shed', title: 'Meeting room for a men’s health evening', description: 'A room for 40 people for an evening, for a talk with the local GP practice about men’s health.', category: 'space', theme: MENTAL, ward: 'Millbrook', value: 300, detail: '1 evening, 40 seats', neededBy: '2027-03-12', status: 'submitted', age: 3 },
  { org: 'shed', title: 'Repair café volunteers', description: 'People who can mend small electrical items, bicycles or clothes, to help at our monthly repair café.', category: 'volunteering', theme: WASTE, ward: 'Millbrook', value: 1_200, detail: '4 volunteers, one Saturday a month', neededBy: null, status: 'submitted', age: 8 },

  // Riverside Refugee Welcome (awaiting verification: drafts only)
  { org: 'refugee', title: 'English conversation classes', description: 'Volunteers to lead informal English conversation groups for newly arrived families, one evening a week.', category: 'volunteering', theme: CONNECTED, ward: 'Riverside', value: 2_000, detail: '3 volunteers, 2 hours a week', neededBy: '2027-09-30', status: 'draft', age: 1 },
];

export async function seedDemoWishlist(tx: DbOrTx): Promise<void> {
  const orgs = await tx.selectFrom('organisation').select(['id', 'name', 'contact_name']).where('kind', '=', 'vcse').execute();
  const orgId = (org: Org) => orgs.find((o) => o.name === ORG_NAMES[org])?.id;
  const wards = Object.fromEntries((await tx.selectFrom('ward').select(['id', 'name']).execute()).map((w) => [w.name, w.id]));
  const officer = await tx.selectFrom('user').select('id').where('email', '=', 'officer@demo.test').executeTakeFirst();
  const council = await tx.selectFrom('organisation').select('id').where('kind', '=', 'council').executeTakeFirst();
  const authors: Partial<Record<Org, string>> = {};
  for (const org of Object.keys(ORG_NAMES) as Org[]) {
    const id = orgId(org);
    if (!id) continue;
    const user = await tx.selectFrom('user').select('id').where('organisation_id', '=', id).orderBy('created_at').executeTakeFirst();
    // The Men's Shed has no demo sign-in; its items need an author (an account that cannot sign in).
    authors[org] = user?.id ?? (await insertUser(tx, { email: 'shed@demo.test', name: 'Geoff Barnes', role: 'vcse', organisationId: id, passwordHash: null }));
  }
  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  for (const item of DEMO_ITEMS) {
    const organisationId = orgId(item.org);
    const author = authors[item.org];
    if (!organisationId || !author) continue;
    const id = newId();
    const submitted = item.status === 'draft' ? null : at(item.age - 1);
    const decided = ['draft', 'submitted'].includes(item.status) || !officer ? null : at(item.age - 2);
    const published = ['published', 'expired', 'withdrawn'].includes(item.status) ? decided : null;
    await tx.insertInto('wishlist_item').values({
      id, organisation_id: organisationId, title: item.title, description: item.description, category: item.category, theme: item.theme,
      ward_id: item.ward ? (wards[item.ward] ?? null) : null, estimated_value_pence: item.value * 100, quantity_detail: item.detail, needed_by: item.neededBy,
      photo_sha256: null, photo_content_type: null, photo_alt: null, status: item.status, decision_reason: item.reason ?? null,
      decided_by: decided ? officer!.id : null, decided_at: decided, submitted_at: submitted, published_at: published,
      created_by: author, created_at: at(item.age), updated_at: at(Math.max(0, item.age - 2)),
    }).execute();
    const owner = { userId: author, organisationId, requestId: null };
    await recordAudit(tx, owner, { action: 'wishlist.created', subjectType: 'wishlist_item', subjectId: id, after: { status: 'draft', title: item.title } });
    if (submitted) await recordAudit(tx, owner, { action: 'wishlist.submitted', subjectType: 'wishlist_item', subjectId: id, after: { status: 'submitted' } });
    if (decided) {
      const by = { userId: officer!.id, organisationId: council?.id ?? null, requestId: null };
      await recordAudit(tx, by, { action: item.status === 'rejected' ? 'wishlist.rejected' : 'wishlist.approved', subjectType: 'wishlist_item', subjectId: id, after: { status: item.status === 'rejected' ? 'rejected' : 'published', decision_reason: item.reason ?? null } });
    }
    if (item.status === 'expired') await recordAudit(tx, { userId: null, organisationId: null, requestId: null }, { action: 'wishlist.expired', subjectType: 'wishlist_item', subjectId: id, after: { status: 'expired' } });
    if (item.status === 'withdrawn') await recordAudit(tx, owner, { action: 'wishlist.withdrawn', subjectType: 'wishlist_item', subjectId: id, after: { status: 'withdrawn' } });
  }
}
