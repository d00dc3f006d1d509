import type { Db, Tx } from '#db/client';
import type { StoryStatus } from '#db/schema';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { londonToday } from '~/modules/contracts/dates';
import { priorResult, rememberResult, type Once } from '~/modules/submissions/once.server';
import { newId } from '~/utils/ids.server';
import { formatDate, nowIso } from '~/utils/time';
import { consentDateProblem, STORY_STATUS_LABELS, type StoryInput, type StorySource } from './stories.schema';
import { findStory, findStoryForSource, findStorySource, type StoryRow } from './story-queries.server';

// Stories of impact (docs/stories-and-newsletters.md): an officer drafts one
// from an approved return or a delivered or confirmed pledge, records consent,
// edits, publishes and unpublishes it. Every change is audited. Routes check
// 'story:manage'; the services also refuse an actor without a user.

export type StoryResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'exists'; id: string }
  | { ok: false; reason: 'conflict'; message: string }
  | { ok: false; reason: 'invalid'; field: 'consentDate'; message: string };

const CREATE_ACTION = 'story.create';

function requireActorUser(actor: Actor): string {
  if (!actor.userId) throw new Error('Stories are changed by a signed-in officer');
  return actor.userId;
}

/** Drafts a story from its source, with consent recorded. One story per source; a repeated form gets the first one back. */
export async function createStory(db: Db, source: StorySource, input: StoryInput, actor: Actor, once?: Once, now = new Date()): Promise<StoryResult> {
  const userId = requireActorUser(actor);
  const problem = consentDateProblem(input.consentDate, londonToday(now));
  if (problem) return { ok: false, reason: 'invalid', field: 'consentDate', message: problem };
  return db.transaction().execute(async (tx): Promise<StoryResult> => {
    const prior = await priorResult(tx, once, CREATE_ACTION);
    if (prior) return { ok: true, id: prior };
    const found = await findStorySource(tx, source);
    if (!found) return { ok: false, reason: 'not-found' };
    const existing = await findStoryForSource(tx, source);
    if (existing) return { ok: false, reason: 'exists', id: existing.id };
    const id = newId();
    const at = nowIso(now);
    const row = {
      id, source_type: source.type, source_id: source.id, contract_id: found.contractId, organisation_id: found.organisationId,
      title: input.title, body: input.body, consent_note: input.consentNote, consent_recorded_at: input.consentDate,
      created_by: userId, created_at: at, updated_at: at,
    } as const;
    await tx.insertInto('story').values(row).execute();
    await rememberResult(tx, once, CREATE_ACTION, id);
    await recordAudit(tx, actor, { action: 'story.created', subjectType: 'story', subjectId: id, after: { ...row, status: 'draft' } });
    return { ok: true, id };
  });
}

export const STALE_STORY = 'Someone else changed this story while you were editing it, and your changes have not been saved. Open the story again to see what changed.';

/** Saves the title, text and consent. A published story changes on the public page at once. */
export async function updateStory(db: Db, storyId: string, input: StoryInput, actor: Actor, now = new Date()): Promise<StoryResult> {
  requireActorUser(actor);
  const problem = consentDateProblem(input.consentDate, londonToday(now));
  if (problem) return { ok: false, reason: 'invalid', field: 'consentDate', message: problem };
  return db.transaction().execute(async (tx): Promise<StoryResult> => {
    const before = await findStory(tx, storyId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (input.version && input.version !== before.updatedAt) return { ok: false, reason: 'conflict', message: STALE_STORY };
    const at = nowIso(now);
    const changes = { title: input.title, body: input.body, consent_note: input.consentNote, consent_recorded_at: input.consentDate, updated_at: at };
    const result = await tx.updateTable('story').set(changes).where('id', '=', storyId).where('updated_at', '=', before.updatedAt).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: STALE_STORY };
    await recordAudit(tx, actor, {
      action: 'story.updated', subjectType: 'story', subjectId: storyId,
      before: { title: before.title, body: before.body, consent_note: before.consentNote, consent_recorded_at: before.consentDate },
      after: changes,
    });
    return { ok: true, id: storyId };
  });
}

function alreadyMessage(story: Pick<StoryRow, 'status' | 'publishedAt'>): string {
  if (story.status === 'published') return `This story is already published${story.publishedAt ? ` (since ${formatDate(story.publishedAt)})` : ''}.`;
  return `This story is ${STORY_STATUS_LABELS[story.status].toLowerCase()}, not published.`;
}

async function changeStatus(db: Db, storyId: string, from: StoryStatus[], to: StoryStatus, actor: Actor, now: Date): Promise<StoryResult> {
  const userId = requireActorUser(actor);
  return db.transaction().execute(async (tx: Tx): Promise<StoryResult> => {
    const before = await findStory(tx, storyId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (!from.includes(before.status)) return { ok: false, reason: 'conflict', message: alreadyMessage(before) };
    const at = nowIso(now);
    // A story keeps the date it was first published (it stays in its quarter's newsletter if unpublished and published again).
    const changes = to === 'published'
      ? { status: to, published_at: before.publishedAt ?? at, published_by: userId, updated_at: at }
      : { status: to, updated_at: at };
    const result = await tx.updateTable('story').set(changes).where('id', '=', storyId).where('status', 'in', from).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: alreadyMessage((await findStory(tx, storyId)) ?? before) };
    await recordAudit(tx, actor, { action: `story.${to}`, subjectType: 'story', subjectId: storyId, before: { status: before.status, published_at: before.publishedAt }, after: changes });
    return { ok: true, id: storyId };
  });
}

/** Publishes a draft or unpublished story (consent is always on record: the form requires it). */
export function publishStory(db: Db, storyId: string, actor: Actor, now = new Date()) {
  return changeStatus(db, storyId, ['draft', 'unpublished'], 'published', actor, now);
}

/** Takes a published story off the public pages (and out of newsletters' web pages). */
export function unpublishStory(db: Db, storyId: string, actor: Actor, now = new Date()) {
  return changeStatus(db, storyId, ['published'], 'unpublished', actor, now);
}

/** Attaches a stored photo (see app/modules/photos) with its alt text, replacing any earlier one. */
export async function setStoryPhoto(db: Db, storyId: string, photo: { sha256: string; contentType: string; alt: string }, actor: Actor, now = new Date()): Promise<StoryResult> {
  requireActorUser(actor);
  return db.transaction().execute(async (tx): Promise<StoryResult> => {
    const before = await findStory(tx, storyId);
    if (!before) return { ok: false, reason: 'not-found' };
    const changes = { photo_sha256: photo.sha256, photo_content_type: photo.contentType, photo_alt: photo.alt, updated_at: nowIso(now) };
    await tx.updateTable('story').set(changes).where('id', '=', storyId).execute();
    await recordAudit(tx, actor, {
      action: 'story.photo_set', subjectType: 'story', subjectId: storyId,
      before: { photo_sha256: before.photoSha256, photo_alt: before.photoAlt }, after: changes,
    });
    return { ok: true, id: storyId };
  });
}

export async function removeStoryPhoto(db: Db, storyId: string, actor: Actor, now = new Date()): Promise<StoryResult> {
  requireActorUser(actor);
  return db.transaction().execute(async (tx): Promise<StoryResult> => {
    const before = await findStory(tx, storyId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (!before.photoSha256) return { ok: true, id: storyId };
    await tx.updateTable('story').set({ photo_sha256: null, photo_content_type: null, photo_alt: null, updated_at: nowIso(now) }).where('id', '=', storyId).execute();
    await recordAudit(tx, actor, { action: 'story.photo_removed', subjectType: 'story', subjectId: storyId, before: { photo_sha256: before.photoSha256, photo_alt: before.photoAlt } });
    return { ok: true, id: storyId };
  });
}
