import type { DbOrTx } from '#db/client';
import type { CommitmentStatus } from '~/modules/contracts/commitment-status';
import { londonToday } from '~/modules/contracts/dates';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

// Demo data only: six contracts of a fictional borough with the three demo
// suppliers, each with commitments on the demo measures (db/seeds/demo-measures.ts).
//
// Dates are written as seen on 25 November 2026 (ANCHOR) and moved by the
// number of days between that date and the day the seed runs, so the demo
// always shows commitments that are on track, at risk, behind, met and overdue.
//
// The delivered quantities are backed by approved progress returns that
// db/seeds/demo-returns.ts adds afterwards, so delivered = approved returns holds.

export const DEMO_CONTRACTS_ANCHOR = '2026-11-25';

export interface DemoContractIds {
  suppliers: { brightwater: string; greenway: string; civic: string };
  /** Ward ids by name. */
  wards: Record<string, string>;
}

interface DemoCommitment {
  measure: string;
  /** In the measure's unit. */
  target: number;
  delivered: number;
  due: string;
  ward?: string;
  description: string;
  /** The status this shows on the anchor date (and so on any day the seed runs): checked by demo-contracts.test.ts. */
  status: CommitmentStatus;
}

interface DemoContract {
  reference: string;
  title: string;
  description: string;
  supplier: keyof DemoContractIds['suppliers'];
  valuePounds: number;
  start: string;
  end: string;
  commitments: DemoCommitment[];
}

export const DEMO_CONTRACTS: readonly DemoContract[] = [
  {
    reference: 'NBC-2025-014', title: 'Eastfield school extension', supplier: 'brightwater', valuePounds: 4_850_000, start: '2025-06-02', end: '2027-08-31',
    description: 'A two-storey teaching block with six classrooms, a hall and a new play area at Eastfield Primary School.',
    commitments: [
      { measure: 'JOB-01', target: 6, delivered: 4.2, due: '2027-08-31', ward: 'Eastfield', description: 'Six full-time roles on site filled by Eastfield and Harbour residents for the length of the build.', status: 'on_track' },
      { measure: 'SKL-01', target: 312, delivered: 150, due: '2027-08-31', description: 'Three construction apprentices (bricklaying, carpentry, electrical) kept on for two years.', status: 'at_risk' },
      { measure: 'HLT-01', target: 400, delivered: 310, due: '2026-10-31', ward: 'Eastfield', description: 'Staff volunteering at Eastfield Community Pantry and the school’s garden club.', status: 'overdue' },
      { measure: 'GRO-02', target: 120_000, delivered: 31_500, due: '2027-08-31', description: 'Catering, site security and landscaping bought from local voluntary and social enterprise organisations.', status: 'behind' },
      { measure: 'ENV-01', target: 85, delivered: 58, due: '2027-08-31', description: 'Carbon saved against the agreed baseline by electric plant and low-carbon concrete.', status: 'on_track' },
    ],
  },
  {
    reference: 'NBC-2026-003', title: 'Harbour sea wall repairs', supplier: 'brightwater', valuePounds: 2_300_000, start: '2026-02-02', end: '2027-01-29',
    description: 'Repairs to 600 metres of the Harbour sea wall and promenade, with new railings and lighting.',
    commitments: [
      { measure: 'JOB-01', target: 3, delivered: 2.5, due: '2027-01-29', ward: 'Harbour', description: 'Three full-time roles for Harbour residents on the repair crews.', status: 'on_track' },
      { measure: 'SKL-02', target: 20, delivered: 22, due: '2026-09-30', description: 'Two-week work placements for students from Harbour College’s construction course.', status: 'met' },
      { measure: 'ENV-04', target: 150, delivered: 95, due: '2027-01-29', description: 'Old concrete and stone crushed and reused as fill on the promenade.', status: 'at_risk' },
      { measure: 'HLT-01', target: 200, delivered: 175, due: '2026-12-18', ward: 'Harbour', description: 'Beach clean-ups and a winter coat drive with Harbour Youth Project.', status: 'on_track' },
    ],
  },
  {
    reference: 'NBC-2025-031', title: 'Grounds maintenance and street cleansing', supplier: 'greenway', valuePounds: 3_450_000, start: '2025-04-01', end: '2028-03-31',
    description: 'Parks, verges, cemeteries and street cleansing across the borough for three years.',
    commitments: [
      { measure: 'JOB-02', target: 4, delivered: 2, due: '2028-03-31', description: 'Four full-time roles for people who have been out of work for a year or more.', status: 'on_track' },
      { measure: 'ENV-02', target: 60_000, delivered: 22_000, due: '2027-03-31', description: 'Sweepers and vans switched to electric, replacing diesel miles.', status: 'behind' },
      { measure: 'ENV-03', target: 500, delivered: 500, due: '2026-11-30', ward: 'Riverside', description: 'Street trees planted in Riverside and cared for for three years.', status: 'met' },
      { measure: 'HLT-02', target: 5_000, delivered: 4_500, due: '2026-12-31', description: 'Grants to friends-of-parks groups in priority wards.', status: 'on_track' },
    ],
  },
  {
    reference: 'NBC-2026-008', title: 'Civic centre facilities management', supplier: 'greenway', valuePounds: 1_900_000, start: '2026-01-05', end: '2028-12-31',
    description: 'Cleaning, security, reception and building maintenance at the civic centre and three libraries.',
    commitments: [
      { measure: 'JOB-06', target: 12, delivered: 12, due: '2026-06-30', description: 'Cleaning and security staff moved up to the real Living Wage.', status: 'met' },
      { measure: 'GRO-01', target: 250_000, delivered: 70_000, due: '2027-12-31', description: 'Supplies and subcontracts bought from small businesses in the borough.', status: 'at_risk' },
      { measure: 'SKL-03', target: 120, delivered: 45, due: '2027-07-31', description: 'Careers talks and mock interviews in Northgate and Castle schools.', status: 'at_risk' },
    ],
  },
  {
    reference: 'NBC-2025-022', title: 'Home care services (north of the borough)', supplier: 'civic', valuePounds: 6_200_000, start: '2025-10-01', end: '2028-09-30',
    description: 'Personal care and support at home for adults in Northgate, Abbey, Castle and Millbrook.',
    commitments: [
      { measure: 'JOB-01', target: 15, delivered: 5, due: '2028-09-30', description: 'Care worker roles filled by residents of the borough.', status: 'on_track' },
      { measure: 'SKL-04', target: 25, delivered: 2, due: '2027-09-30', description: 'Care workers supported to gain a level 2 or 3 diploma in adult care.', status: 'behind' },
      { measure: 'HLT-03', target: 10, delivered: 10, due: '2026-06-30', description: 'Team leaders trained as mental health first aiders.', status: 'met' },
      { measure: 'HLT-05', target: 1_500, delivered: 800, due: '2027-09-30', ward: 'Millbrook', description: 'Befriending visits and a weekly lunch club with Millbrook Men’s Shed.', status: 'on_track' },
    ],
  },
  {
    reference: 'NBC-2026-017', title: 'Community day opportunities', supplier: 'civic', valuePounds: 980_000, start: '2026-04-01', end: '2027-03-31',
    description: 'Day activities and short breaks for adults with learning disabilities.',
    commitments: [
      { measure: 'GRO-02', target: 60_000, delivered: 38_000, due: '2027-03-31', description: 'Activities bought from local arts, sport and food charities.', status: 'on_track' },
      { measure: 'HLT-01', target: 300, delivered: 210, due: '2026-11-20', description: 'Staff volunteering at community events in Abbey and Westwood.', status: 'overdue' },
      { measure: 'HLT-04', target: 250, delivered: 120, due: '2027-03-31', ward: 'Westwood', description: 'Residents joining walking football and chair yoga sessions.', status: 'at_risk' },
    ],
  },
];

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const shift = (date: string, days: number) => new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
/** A quantity in thousandths of a unit (integers only in stored figures). */
const milli = (quantity: number) => Math.round(quantity * 1000);

/** Inserts the demo contracts; the demo measures and users must be seeded first. */
export async function seedDemoContracts(tx: DbOrTx, ids: DemoContractIds, now = new Date()): Promise<{ contracts: number; commitments: number }> {
  const offset = dayNumber(londonToday(now)) - dayNumber(DEMO_CONTRACTS_ANCHOR);
  const officer = await tx.selectFrom('user').select('id').where('email', '=', 'officer@demo.test').executeTakeFirstOrThrow();
  const measures = new Map((await tx.selectFrom('measure').select(['id', 'code', 'proxy_value_pence']).execute()).map((m) => [m.code, m]));
  const at = nowIso(now);
  let commitments = 0;
  for (const c of DEMO_CONTRACTS) {
    const contractId = newId();
    await tx.insertInto('contract').values({
      id: contractId, reference: c.reference, title: c.title, description: c.description, supplier_id: ids.suppliers[c.supplier],
      value_pence: c.valuePounds * 100, start_date: shift(c.start, offset), end_date: shift(c.end, offset), officer_id: officer.id,
      status: 'active', closed_at: null, closure_reason: null, created_at: at, updated_at: at,
    }).execute();
    for (const k of c.commitments) {
      const measure = measures.get(k.measure);
      if (!measure) throw new Error(`Demo contract ${c.reference} needs measure ${k.measure}: seed the demo measures first`);
      const wardId = k.ward ? ids.wards[k.ward] : null;
      if (wardId === undefined) throw new Error(`Demo contract ${c.reference} names an unknown ward ${k.ward}`);
      await tx.insertInto('commitment').values({
        id: newId(), contract_id: contractId, measure_id: measure.id, target_milli: milli(k.target), proxy_value_pence: measure.proxy_value_pence,
        due_date: shift(k.due, offset), ward_id: wardId, description: k.description, delivered_milli: milli(k.delivered), substituted_milli: 0,
        created_at: at, updated_at: at,
      }).execute();
      commitments += 1;
    }
  }
  return { contracts: DEMO_CONTRACTS.length, commitments };
}
