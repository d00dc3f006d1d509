import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#db/client';
import { getUser, notFound } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { photoResponse } from '~/modules/photos/photos.server';
import { findStory } from '~/modules/stories/story-queries.server';

// A story's photo. Public while the story is published; otherwise only staff
// who manage stories, and a 404 for everyone else. Never cached: a story is
// unpublished when consent is withdrawn, and its photo (often of a person) must
// then go at once, not stay in a shared cache for an hour.
export async function loader({ request, params }: LoaderFunctionArgs) {
  // Public: a published story's photo is public; the check below decides for other statuses.
  const story = params.storyId ? await findStory(getDb(), params.storyId.slice(0, 100)) : undefined;
  if (!story?.photoSha256 || !story.photoContentType) throw notFound();
  if (story.status === 'published') return photoResponse(story.photoSha256, story.photoContentType, { cache: 'private' });
  const user = await getUser(request);
  if (!user || !can(user.role, 'story:manage')) throw notFound();
  return photoResponse(story.photoSha256, story.photoContentType, { cache: 'private' });
}
