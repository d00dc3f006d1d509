import { getDb } from '../../db/client';
import type { StoryStatus } from '../../db/schema';
import { newId } from '~/utils/ids.server';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeReturn, makeUser } from './factories';

// Stories and newsletters test data on the real database (inserted directly, no audit).

/** A supplier with a contractor, an officer, a contract, and an approved return flagged as a story. */
export async function storyWorld({ narrative = 'Two apprentices from Eastfield started with us this quarter.', isStory = true, periodStart = '2026-07-01', periodEnd = '2026-09-30' } = {}) {
  const supplier = await makeOrganisation('supplier');
  const contractor = await makeUser('contractor', { organisationId: supplier.id });
  const officer = await makeUser('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id });
  const measure = await makeMeasure({ unit: 'apprentices', proxyPence: 100_000 });
  const commitment = await makeCommitment(contract.id, measure.id, { targetMilli: 5000 });
  const ret = await makeReturn(commitment.id, { status: 'approved', quantityMilli: 2000, narrative, createdBy: contractor.id, periodStart, periodEnd });
  await getDb().updateTable('progress_return').set({ approved_quantity_milli: 2000, decided_by: officer.id, decided_at: new Date().toISOString(), is_story: isStory ? 1 : 0 }).where('id', '=', ret.id).execute();
  const officerActor = { userId: officer.id, organisationId: officer.organisationId, requestId: null };
  return { supplier, contractor, officer, contract, measure, commitment, ret, officerActor };
}

/** A story inserted directly. */
export async function makeStory({ contractId = null, organisationId, createdBy, status = 'published', publishedAt, title = `Story ${newId().slice(0, 6)}`, sourceType = 'progress_return', sourceId }: {
  contractId?: string | null; organisationId?: string; createdBy?: string; status?: StoryStatus; publishedAt?: string | null; title?: string; sourceType?: 'progress_return' | 'pledge'; sourceId?: string;
} = {}) {
  const id = newId();
  const now = new Date().toISOString();
  const org = organisationId ?? (await makeOrganisation('supplier')).id;
  const author = createdBy ?? (await makeUser('officer')).id;
  await getDb().insertInto('story').values({
    id, source_type: sourceType, source_id: sourceId ?? newId(), contract_id: contractId, organisation_id: org, title, body: `The text of ${title}.`,
    consent_note: 'Agreed by email', consent_recorded_at: '2026-10-01', status,
    published_at: status === 'draft' ? null : (publishedAt ?? now), published_by: status === 'draft' ? null : author,
    created_by: author, created_at: now, updated_at: now,
  }).execute();
  return { id, title };
}
