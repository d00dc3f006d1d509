import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeClaimant } from '../../../tests/support/factories-claims';
import { discardUnreferenced, evidencePath } from '~/modules/returns/evidence-store.server';
import { sweepEvidence } from '~/modules/returns/evidence-sweep.server';
import { makeTempDataDir, samples } from '~/modules/returns/evidence-test-samples';
import { DAY } from '~/utils/time';
import { attachClaimFiles, findDownloadableClaimEvidence, MAX_CLAIM_EVIDENCE_BYTES } from './claim-evidence.server';
import { requestClaim } from './claims.server';

beforeAll(() => {
  makeTempDataDir();
});

function store(data: Buffer, name: string) {
  const sha256 = createHash('sha256').update(data).digest('hex');
  fs.mkdirSync(path.dirname(evidencePath(sha256)), { recursive: true });
  fs.writeFileSync(evidencePath(sha256), data);
  const old = new Date(Date.now() - 2 * DAY);
  fs.utimesSync(evidencePath(sha256), old, old);
  return { sha256, sizeBytes: data.length, contentType: 'application/pdf', fileName: name };
}

describe('claim evidence', () => {
  it('is a reference the store’s discard and the day-old sweep respect', async () => {
    const c = await makeClaimant();
    const file = store(Buffer.concat([samples.pdf, Buffer.from('claim-only')]), 'claim.pdf');
    const made = await requestClaim(getDb(), { contractId: c.contract.id, kind: 'activity', measureId: c.measure.id, quantityMilli: 1000, description: 'x', files: [file] }, c.actor);
    expect(made.ok).toBe(true);
    await discardUnreferenced(getDb(), [file]);
    await sweepEvidence(getDb(), Date.now());
    expect(fs.existsSync(evidencePath(file.sha256))).toBe(true);
    // A file nothing refers to still goes.
    const orphan = store(Buffer.concat([samples.pdf, Buffer.from('orphan')]), 'orphan.pdf');
    await sweepEvidence(getDb(), Date.now());
    expect(fs.existsSync(evidencePath(orphan.sha256))).toBe(false);
  });

  it('refuses files past the size limit and a stored file that has gone, writing nothing; a refused claim’s files are discarded', async () => {
    const c = await makeClaimant();
    const file = store(Buffer.concat([samples.pdf, Buffer.from('too-big')]), 'big.pdf');
    const tooBig = await getDb().transaction().execute((tx) => attachClaimFiles(tx, 'nope', [{ ...file, sizeBytes: MAX_CLAIM_EVIDENCE_BYTES + 1 }], c.contractor.id));
    expect(tooBig).toMatchObject({ ok: false, message: expect.stringContaining('or less in total') });
    const gone = await getDb().transaction().execute((tx) => attachClaimFiles(tx, 'nope', [{ ...file, sha256: 'f'.repeat(64) }], c.contractor.id));
    expect(gone).toMatchObject({ ok: false, message: expect.stringContaining('could not be saved') });
    // A claim refused for another reason (no description) discards the file it would have attached.
    const refused = await requestClaim(getDb(), { contractId: c.contract.id, kind: 'activity', measureId: c.measure.id, quantityMilli: 1000, description: '', files: [file] }, c.actor);
    expect(refused).toMatchObject({ ok: false, field: 'description' });
    expect(fs.existsSync(evidencePath(file.sha256))).toBe(false);
  });

  it('finds a file only within its claim and, for a contractor, its organisation', async () => {
    const c = await makeClaimant();
    const file = store(Buffer.concat([samples.pdf, Buffer.from('scoped')]), 'scoped.pdf');
    const made = await requestClaim(getDb(), { contractId: c.contract.id, kind: 'activity', measureId: c.measure.id, quantityMilli: 1000, description: 'x', files: [file] }, c.actor);
    if (!made.ok) throw new Error('no claim');
    const row = await getDb().selectFrom('claim_evidence').select('id').where('claim_id', '=', made.id).executeTakeFirstOrThrow();
    const find = (claimId: string, supplierId: string | null) => findDownloadableClaimEvidence(getDb(), { claimId, evidenceId: row.id, supplierId });
    expect(await find(made.id, c.supplier.id)).toMatchObject({ fileName: 'scoped.pdf', sha256: file.sha256 });
    expect(await find(made.id, null)).not.toBeNull();
    expect(await find(made.id, 'another-org')).toBeNull();
    expect(await find('another-claim', null)).toBeNull();
  });
});
