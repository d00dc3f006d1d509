import type { Db } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { nowIso } from '~/utils/time';
import type { ProfileInput } from './profile.schema';

// A VCSE organisation's users edit its public profile (verified or pending
// organisations; a rejected one contacts the council). Audited with before and after.

export type ProfileResult = { ok: true } | { ok: false; reason: 'not-found' | 'rejected' | 'stale'; message: string } | { ok: false; reason: 'invalid'; field: string; message: string };

const FIELDS = ['name', 'description', 'ward_id', 'website', 'charity_number', 'company_number', 'contact_name', 'contact_email', 'contact_phone'] as const;

export async function updateProfile(db: Db, actor: Actor, organisationId: string, input: ProfileInput): Promise<ProfileResult> {
  return db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('organisation').selectAll().where('id', '=', organisationId).where('kind', '=', 'vcse').executeTakeFirst();
    if (!org) return { ok: false, reason: 'not-found', message: 'Organisation not found' } as const;
    if (org.status === 'rejected') return { ok: false, reason: 'rejected', message: 'The council could not verify your organisation. Contact the council’s social value team to change its details.' } as const;
    if (input.version && input.version !== org.updated_at) return { ok: false, reason: 'stale', message: 'Someone else changed these details while you were editing them. Check them and make your changes again.' } as const;
    if (!(await tx.selectFrom('ward').select('id').where('id', '=', input.wardId).executeTakeFirst())) return { ok: false, reason: 'invalid', field: 'wardId', message: 'Select the ward where your organisation mainly works' } as const;
    const after = {
      name: input.name, description: input.description, ward_id: input.wardId, website: input.website ?? null, charity_number: input.charityNumber ?? null,
      company_number: input.companyNumber ?? null, contact_name: input.contactName, contact_email: input.contactEmail, contact_phone: input.contactPhone ?? null,
    };
    const before = Object.fromEntries(FIELDS.map((f) => [f, org[f]]));
    const changed = FIELDS.filter((f) => before[f] !== after[f]);
    if (!changed.length) return { ok: true } as const;
    const updated = await tx.updateTable('organisation').set({ ...after, updated_at: nowIso() }).where('id', '=', org.id).where('updated_at', '=', org.updated_at).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'stale', message: 'Someone else changed these details while you were editing them. Check them and make your changes again.' } as const;
    await recordAudit(tx, actor, {
      action: 'organisation.profile_updated', subjectType: 'organisation', subjectId: org.id,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])), after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    });
    return { ok: true } as const;
  });
}
