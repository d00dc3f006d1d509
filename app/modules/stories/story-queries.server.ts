import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { StorySource } from './stories.schema';

// Reading stories: for staff (any status) and for the public (published only).

/** What a story is drafted from: an approved return, or a delivered or confirmed pledge. */
export async function findStorySource(db: DbOrTx, source: StorySource) {
  if (source.type === 'progress_return') {
    const r = await db
      .selectFrom('progress_return as r')
      .innerJoin('contract as c', 'c.id', 'r.contract_id')
      .innerJoin('organisation as s', 's.id', 'r.supplier_id')
      .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
      .innerJoin('measure as m', 'm.id', 'cm.measure_id')
      .select(['r.id', 'r.narrative', 'r.period_start as periodStart', 'r.period_end as periodEnd', 'c.id as contractId', 'c.reference', 'c.title as contractTitle', 's.id as supplierId', 's.name as supplierName', 'm.title as measureTitle'])
      .where('r.id', '=', source.id)
      .where('r.status', '=', 'approved')
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      ...source, contractId: r.contractId as string | null, organisationId: r.supplierId as string | null,
      label: `Progress return for ${r.reference} (${r.measureTitle}), ${r.supplierName}`,
      title: `${r.measureTitle}: ${r.supplierName}`.slice(0, 150), body: r.narrative,
      link: `/returns/${r.id}`,
    };
  }
  const p = await db
    .selectFrom('pledge as p')
    .innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
    .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
    .innerJoin('organisation as s', 's.id', 'p.supplier_id')
    .select(['p.id', 'p.description', 'p.delivery_note as deliveryNote', 'p.contract_id as contractId', 'i.id as itemId', 'i.title as itemTitle', 'v.id as vcseId', 'v.name as vcseName', 's.name as supplierName'])
    .where('p.id', '=', source.id)
    .where('p.status', 'in', ['delivered', 'confirmed'])
    .executeTakeFirst();
  if (!p) return undefined;
  return {
    ...source, contractId: p.contractId, organisationId: p.vcseId as string | null,
    label: `Pledge by ${p.supplierName} to ${p.vcseName}: ${p.itemTitle}`,
    title: `${p.supplierName} helps ${p.vcseName}`.slice(0, 150),
    body: [p.description, p.deliveryNote].filter(Boolean).join('\n\n'),
    link: `/pledges/${p.id}`,
  };
}

export type StorySourceDetails = NonNullable<Awaited<ReturnType<typeof findStorySource>>>;

/** The story drafted from this source, if there is one. */
export async function findStoryForSource(db: DbOrTx, source: StorySource) {
  return db.selectFrom('story').select(['id', 'status']).where('source_type', '=', source.type).where('source_id', '=', source.id).executeTakeFirst();
}

const storyColumns = [
  'st.id', 'st.title', 'st.body', 'st.status', 'st.source_type as sourceType', 'st.source_id as sourceId', 'st.contract_id as contractId',
  'st.organisation_id as organisationId', 'st.photo_sha256 as photoSha256', 'st.photo_content_type as photoContentType', 'st.photo_alt as photoAlt',
  'st.consent_note as consentNote', 'st.consent_recorded_at as consentDate', 'st.published_at as publishedAt', 'st.updated_at as updatedAt',
  'st.created_at as createdAt', 'c.reference as contractReference', 'c.title as contractTitle', 'o.name as organisationName',
] as const;

function storiesWithNames(db: DbOrTx) {
  return db.selectFrom('story as st').leftJoin('contract as c', 'c.id', 'st.contract_id').leftJoin('organisation as o', 'o.id', 'st.organisation_id');
}

/** Any story, for staff. */
export function findStory(db: DbOrTx, storyId: string) {
  return storiesWithNames(db).select(storyColumns).where('st.id', '=', storyId).executeTakeFirst();
}

export type StoryRow = NonNullable<Awaited<ReturnType<typeof findStory>>>;

/** A published story, for anyone. */
export function findPublishedStory(db: DbOrTx, storyId: string) {
  return storiesWithNames(db).select(storyColumns).where('st.id', '=', storyId).where('st.status', '=', 'published').executeTakeFirst();
}

/** Every story for the officers' page, newest change first. */
export function listStoriesForStaff(db: DbOrTx) {
  return storiesWithNames(db)
    .select(['st.id', 'st.title', 'st.status', 'st.published_at as publishedAt', 'st.updated_at as updatedAt', 'o.name as organisationName', 'c.reference as contractReference'])
    .orderBy('st.updated_at', 'desc')
    .orderBy('st.id')
    .execute();
}

export const PUBLIC_PAGE_SIZE = 10;

/** One page of published stories, newest first. */
export async function listPublishedStories(db: DbOrTx, page = 1, pageSize = PUBLIC_PAGE_SIZE) {
  const base = db.selectFrom('story as st').where('st.status', '=', 'published');
  const [count, rows] = await Promise.all([
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    storiesWithNames(db)
      .select(['st.id', 'st.title', 'st.body', 'st.published_at as publishedAt', 'o.name as organisationName', 'st.photo_sha256 as photoSha256', 'st.photo_alt as photoAlt'])
      .where('st.status', '=', 'published')
      .orderBy('st.published_at', 'desc')
      .orderBy('st.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { total: Number(count.n), stories: rows };
}

/** Published stories in a date range (published_at from `from` up to but not including `toExclusive`), oldest first. */
export function listPublishedBetween(db: DbOrTx, from: string, toExclusive: string) {
  return db
    .selectFrom('story')
    .select(['id', 'title', 'published_at as publishedAt'])
    .where('status', '=', 'published')
    .where('published_at', '>=', from)
    .where('published_at', '<', toExclusive)
    .orderBy('published_at')
    .orderBy('id')
    .execute();
}

export type StoryScope = { contractId: string } | { organisationId: string } | { itemId: string };

/** Published stories that belong to a contract, an organisation, or (through their pledge) a wishlist item. */
export function storiesFor(db: DbOrTx, scope: StoryScope) {
  let query = db.selectFrom('story as st').select(['st.id', 'st.title', 'st.body', 'st.published_at as publishedAt']).where('st.status', '=', 'published');
  if ('contractId' in scope) query = query.where('st.contract_id', '=', scope.contractId);
  else if ('organisationId' in scope) query = query.where('st.organisation_id', '=', scope.organisationId);
  else {
    query = query
      .where('st.source_type', '=', 'pledge')
      .where(({ exists, selectFrom }) => exists(selectFrom('pledge as p').select('p.id').whereRef('p.id', '=', 'st.source_id').where('p.item_id', '=', scope.itemId)));
  }
  return query.orderBy('st.published_at', 'desc').orderBy('st.id').limit(20).execute();
}
