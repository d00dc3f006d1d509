import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { loadEnv } from '~/utils/env.server';
import { DAY } from '~/utils/time';
import { makeCommitment, makeContract, makeMeasure, makeUser } from '../../../tests/support/factories';
import { evidencePath, uploadTmpDir } from './evidence-store.server';
import { sweepEvidence } from './evidence-sweep.server';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-sweep-'));
beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  loadEnv();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function place(file: string, ageMs: number) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x');
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(file, when, when);
}

describe('sweepEvidence', () => {
  it('removes day-old temp files and unreferenced stored files, and nothing else', async () => {
    const used = 'a'.repeat(64);
    const orphan = 'b'.repeat(64);
    const fresh = 'c'.repeat(64);
    const contractor = await makeUser('contractor');
    const contract = await makeContract({ supplierId: contractor.organisationId });
    const commitment = await makeCommitment(contract.id, (await makeMeasure()).id);
    const now = new Date().toISOString();
    await getDb().insertInto('progress_return').values({
      id: 'r1', commitment_id: commitment.id, contract_id: contract.id, supplier_id: contractor.organisationId, period_start: '2026-04-01', period_end: '2026-06-30',
      quantity_milli: 1000, status: 'draft', approved_quantity_milli: null, decision_reason: null, decided_by: null, decided_at: null, submitted_at: null,
      first_submitted_at: null, created_by: contractor.id, created_at: now, updated_at: now,
    }).execute();
    await getDb().insertInto('return_evidence').values({
      id: 'e1', return_id: 'r1', kind: 'file', file_name: 'a.pdf', content_type: 'application/pdf', size_bytes: 1, sha256: used, url: null, title: null, added_by: contractor.id, created_at: now,
    }).execute();
    place(evidencePath(used), 2 * DAY);
    place(evidencePath(orphan), 2 * DAY);
    place(evidencePath(fresh), 60_000);
    place(path.join(uploadTmpDir(), 'old.part'), 2 * DAY);
    place(path.join(uploadTmpDir(), 'new.part'), 60_000);

    expect(await sweepEvidence(getDb())).toEqual({ tmpFiles: 1, orphans: 1 });
    expect(fs.existsSync(evidencePath(used))).toBe(true);
    expect(fs.existsSync(evidencePath(orphan))).toBe(false);
    expect(fs.existsSync(evidencePath(fresh))).toBe(true);
    expect(fs.existsSync(path.join(uploadTmpDir(), 'new.part'))).toBe(true);
    expect(await sweepEvidence(getDb())).toEqual({ tmpFiles: 0, orphans: 0 });
  });
});
