import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { listStoryCandidates } from '~/modules/stories/story-candidates.server';
import { listPublishedStories } from '~/modules/stories/story-queries.server';
import { listSentNewsletters } from '~/modules/newsletters/newsletters.server';
import { seedDemo } from './demo';
import { parseEnv } from '~/utils/env.server';

describe('demo stories', () => {
  it('has a published story with consent, a draft, returns waiting for a story, and last quarter’s newsletter sent without outbox messages', async () => {
    await seedDemo(getDb(), parseEnv({ NODE_ENV: 'test', DATABASE_PATH: process.env.DATABASE_PATH }));
    const db = getDb();
    const stories = await db.selectFrom('story').select(['status', 'consent_note']).execute();
    expect(stories.map((s) => s.status).sort()).toEqual(['draft', 'published']);
    expect(stories.every((s) => s.consent_note.length > 10)).toBe(true);
    expect((await listPublishedStories(db)).total).toBe(1);
    expect((await listStoryCandidates(db)).filter((c) => c.kind === 'Progress return').length).toBeGreaterThanOrEqual(2);
    const sent = await listSentNewsletters(db);
    expect(sent).toHaveLength(1);
    expect(await db.selectFrom('notification').select('id').where('kind', '=', 'newsletter').execute()).toEqual([]);
  });
});
