import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { requestClaim } from '~/modules/credits/claims.server';
import { contractBalance } from '~/modules/credits/ledger.server';
import { makeUser } from '../support/factories';
import { makeClaimant, makePledge } from '../support/factories-claims';
import { cookieFor } from '../support/requests';
import { form, startApp, type TestServer } from './support';

// Parallel HTTP requests against the built portal (issue 5): many officers
// approving one claim at once, and one pledge claimed from many tabs at once.
// Exactly one outcome each, and nothing booked twice.

let server: TestServer;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => {
  await server.close();
});

function post(cookie: string, path: string, fields: Record<string, string>) {
  const { body, headers } = form(fields);
  return fetch(`${server.url}${path}`, { method: 'POST', body, headers: { ...headers, Cookie: cookie, Origin: server.origin }, redirect: 'manual' });
}

describe('parallel claim requests over HTTP', () => {
  it('many officers deciding the same claim at once: one decision, the rest 409, at most one ledger transaction', async () => {
    const c = await makeClaimant();
    const made = await requestClaim(getDb(), { contractId: c.contract.id, kind: 'activity', measureId: c.measure.id, quantityMilli: 4_000, description: 'Careers talks' }, c.actor);
    if (!made.ok) throw new Error(JSON.stringify(made));
    const cookies = await Promise.all([c.officer.id, (await makeUser('officer')).id, (await makeUser('admin')).id].map((id) => cookieFor(id)));
    const responses = await Promise.all(Array.from({ length: 15 }, (_, i) => post(cookies[i % 3]!, `/credits/claims/${made.id}/decide`,
      i % 4 === 3 ? { decision: 'reject', reason: `No ${i}` } : { decision: 'approve', approvedValue: '300', reason: `Yes ${i}` })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(14);
    const claim = await getDb().selectFrom('credit_claim').select(['status', 'approved_value_pence']).where('id', '=', made.id).executeTakeFirstOrThrow();
    const booked = await getDb().selectFrom('ledger_transaction').select('id').where('source_type', '=', 'credit_claim').where('source_id', '=', made.id).execute();
    if (claim.status === 'approved') {
      expect(claim.approved_value_pence).toBe(30_000);
      expect(booked).toHaveLength(1);
      expect(await contractBalance(getDb(), c.contract.id)).toBe(30_000);
    } else {
      expect(claim.status).toBe('rejected');
      expect(booked).toHaveLength(0);
    }
  });

  it('one pledge claimed from ten tabs at once (different submission keys): one claim, the rest a field error, never a 500', async () => {
    const c = await makeClaimant();
    const pledge = await makePledge(c.supplier.id, c.contractor.id);
    const cookie = await cookieFor(c.contractor.id);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(cookie, '/credits/claims/new', { kind: 'pledge', contractId: c.contract.id, pledgeId: pledge.id })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([303, ...Array<number>(9).fill(400)]);
    const claims = await getDb().selectFrom('credit_claim').select('id').where('pledge_id', '=', pledge.id).execute();
    expect(claims).toHaveLength(1);
  });
});
