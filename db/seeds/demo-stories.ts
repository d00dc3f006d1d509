import type { DbOrTx } from '#db/client';
import { londonToday } from '~/modules/contracts/dates';
import { quarterFigures } from '~/modules/newsletters/newsletter-figures.server';
import { defaultTitle, quarterChoices } from '~/modules/newsletters/newsletters.schema';
import { newId } from '~/utils/ids.server';

// Demo data only (runs last): four approved returns flagged as "a story worth
// telling" (with narratives worth telling), one published story with consent
// recorded, one draft, two left waiting for a story, and last quarter's
// newsletter already sent so the public archive is not empty. That newsletter
// is recorded as sent WITHOUT outbox messages: the demo's outbox only holds
// email that someone's action in the demo produced.

const NARRATIVES = [
  'Jordan Ellis, 19, from Eastfield started a two-year bricklaying apprenticeship on the Harbour Road site. Jordan had been out of work for a year after college; the site team mentor Jordan one day a week, and the first wall Jordan built now fronts the new community hall.',
  'Twelve of our staff spent a Saturday repainting the Millbrook Men’s Shed workshop and fitting new benches. The Shed’s members chose the colours and cooked lunch for everyone; they say the brighter room has brought three new members through the door.',
  'Our catering team trained six residents from the Riverside ward in food hygiene (Level 2). Four have since found work in local kitchens, and two volunteer at the Eastfield Community Pantry.',
  'We bought our site fencing and signage from a Castle ward social enterprise that employs people recovering from addiction, instead of our usual national supplier.',
];

const isoAt = (date: string, hour = 10) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const earlier = (a: string, b: string) => (a < b ? a : b);

export async function seedDemoStories(tx: DbOrTx, now = new Date()): Promise<void> {
  const officer = await tx.selectFrom('user').select('id').where('email', '=', 'officer@demo.test').executeTakeFirst();
  if (!officer) return;
  const nowIso = now.toISOString();
  const previous = quarterChoices(londonToday(now), 2)[1]!;

  let flagged = await tx.selectFrom('progress_return').select('id').where('status', '=', 'approved').where('is_story', '=', 1).execute();
  if (flagged.length === 0) {
    // The most recent approved return of four different contracts.
    const approved = await tx
      .selectFrom('progress_return')
      .select(['id', 'contract_id'])
      .where('status', '=', 'approved')
      .orderBy('period_end', 'desc')
      .orderBy('id')
      .execute();
    const chosen: string[] = [];
    const contracts = new Set<string>();
    for (const r of approved) {
      if (contracts.has(r.contract_id)) continue;
      contracts.add(r.contract_id);
      chosen.push(r.id);
      if (chosen.length === NARRATIVES.length) break;
    }
    for (const [i, id] of chosen.entries()) {
      await tx.updateTable('progress_return').set({ is_story: 1, narrative: NARRATIVES[i]! }).where('id', '=', id).execute();
    }
    flagged = chosen.map((id) => ({ id }));
  }
  if (flagged.length < 2) return;

  const source = async (returnId: string) =>
    tx
      .selectFrom('progress_return as r')
      .innerJoin('organisation as s', 's.id', 'r.supplier_id')
      .select(['r.id', 'r.contract_id as contractId', 'r.supplier_id as supplierId', 'r.narrative', 's.name as supplierName'])
      .where('r.id', '=', returnId)
      .executeTakeFirstOrThrow();

  // Published last quarter, with consent recorded a few days before.
  const first = await source(flagged[0]!.id);
  const publishedOn = earlier(addDays(previous.start, 45), londonToday(now));
  const publishedAt = earlier(isoAt(publishedOn), nowIso);
  const published = newId();
  await tx.insertInto('story').values({
    id: published, source_type: 'progress_return', source_id: first.id, contract_id: first.contractId, organisation_id: first.supplierId,
    title: `A first step into construction with ${first.supplierName}`, body: first.narrative,
    consent_note: `The apprentice agreed by email to be named and quoted; ${first.supplierName}’s site manager approved the text.`,
    consent_recorded_at: addDays(publishedOn, -3), status: 'published', published_at: publishedAt, published_by: officer.id,
    created_by: officer.id, created_at: publishedAt, updated_at: publishedAt,
  }).execute();

  const second = await source(flagged[1]!.id);
  await tx.insertInto('story').values({
    id: newId(), source_type: 'progress_return', source_id: second.id, contract_id: second.contractId, organisation_id: second.supplierId,
    title: `${second.supplierName} volunteers lend a hand`, body: second.narrative,
    consent_note: 'The group’s coordinator agreed by phone; waiting for the photo release forms.', consent_recorded_at: londonToday(now),
    status: 'draft', published_at: null, published_by: null, created_by: officer.id, created_at: nowIso, updated_at: nowIso,
  }).execute();

  // Last quarter's newsletter, sent a few days after the quarter ended (no outbox messages: see above).
  const sentAt = earlier(isoAt(addDays(previous.end, 5), 9), nowIso);
  const newsletter = newId();
  const figures = await quarterFigures(tx, previous);
  await tx.insertInto('newsletter').values({
    id: newsletter, period_start: previous.start, period_end: previous.end, title: defaultTitle(previous),
    introduction: 'Welcome to the council’s quarterly round-up of what social value in our contracts has achieved. Thank you to every contractor and community group who made it happen.',
    figures_json: JSON.stringify(figures), status: 'sent', sent_at: sentAt, sent_by: officer.id, created_by: officer.id, created_at: sentAt, updated_at: sentAt,
  }).execute();
  await tx.insertInto('newsletter_story').values({ newsletter_id: newsletter, story_id: published, position: 1 }).execute();
}
