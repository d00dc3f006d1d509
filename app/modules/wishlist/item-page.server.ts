import type { DbOrTx } from '#db/client';
import type { Role, WishlistCategory, WishlistStatus } from '#db/schema';
import { pledgeProgress, type PledgeProgress } from '~/modules/pledges/pledge-progress.server';
import { isPublicStatus } from './wishlist';

// The public page of one wishlist item (/wishlist/$itemId). Anyone may see a
// public item (published, pledged, fulfilled); any other is "not found",
// except to the organisation that owns it and to council staff (not drafts),
// who see a preview marked as not public.

export interface PublicItem {
  id: string;
  title: string;
  description: string;
  category: WishlistCategory;
  theme: string;
  wardName: string | null;
  estimatedValuePence: number;
  quantityDetail: string;
  neededBy: string | null;
  status: WishlistStatus;
  publishedAt: string | null;
  photo: { alt: string } | null;
  organisation: {
    id: string;
    name: string;
    description: string | null;
    website: string | null;
    wardName: string | null;
    /** The organisation's contact address, shown so people can offer help. */
    contactEmail: string | null;
  };
  progress: PledgeProgress;
  /** False when a staff member or the owner is previewing an item the public cannot see. */
  isPublic: boolean;
}

export interface Viewer {
  role: Role;
  organisationId: string;
}

/**
 * Who may see an item that is not public: its own organisation, and council
 * staff unless it is a draft (the organisation's private work: the moderation
 * page and the photo route keep drafts from staff too).
 */
export function mayPreview(viewer: Viewer | null, item: { organisationId: string; status: WishlistStatus }): boolean {
  if (!viewer) return false;
  if (viewer.role === 'vcse' && viewer.organisationId === item.organisationId) return true;
  return (viewer.role === 'officer' || viewer.role === 'admin') && item.status !== 'draft';
}

/** The item as its public page shows it, or null when there is none this viewer may see. */
export async function findItemForPage(db: DbOrTx, itemId: string, viewer: Viewer | null): Promise<PublicItem | null> {
  const row = await db
    .selectFrom('wishlist_item as i')
    .innerJoin('organisation as o', 'o.id', 'i.organisation_id')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .leftJoin('ward as ow', 'ow.id', 'o.ward_id')
    .select([
      'i.id', 'i.title', 'i.description', 'i.category', 'i.theme', 'w.name as ward_name', 'i.estimated_value_pence', 'i.quantity_detail',
      'i.needed_by', 'i.status', 'i.published_at', 'i.photo_sha256', 'i.photo_alt',
      'o.id as organisation_id', 'o.name as organisation_name', 'o.description as organisation_description', 'o.website',
      'ow.name as organisation_ward', 'o.contact_email',
    ])
    .where('i.id', '=', itemId)
    .executeTakeFirst();
  if (!row) return null;
  const isPublic = isPublicStatus(row.status);
  if (!isPublic && !mayPreview(viewer, { organisationId: row.organisation_id, status: row.status })) return null;
  const progress = (await pledgeProgress(db, [row.id])).get(row.id)!;
  return {
    id: row.id, title: row.title, description: row.description, category: row.category, theme: row.theme, wardName: row.ward_name,
    estimatedValuePence: row.estimated_value_pence, quantityDetail: row.quantity_detail, neededBy: row.needed_by, status: row.status,
    publishedAt: row.published_at, photo: row.photo_sha256 ? { alt: row.photo_alt ?? '' } : null,
    organisation: {
      id: row.organisation_id, name: row.organisation_name, description: row.organisation_description, website: row.website,
      wardName: row.organisation_ward, contactEmail: row.contact_email,
    },
    progress, isPublic,
  };
}
