import type { DbOrTx } from '#db/client';
import { newId } from '~/utils/ids.server';
import { nowIso } from '~/utils/time';

// The demo's own illustrative measures framework: 30 measures across five
// themes. Codes, titles, outcomes and proxy values were written for this
// project and are marked as demo figures (is_demo = 1). They are NOT taken
// from the National TOMs or any other published framework (the National TOMs
// are licensed CC BY-NC-ND; never copy their codes, titles or values here).
// An authority replaces them by importing its own framework as CSV.

export const DEMO_FRAMEWORK_YEAR = 2026;

/** [code, theme, outcome, title, unit, proxy value in pence per unit] */
type DemoMeasure = readonly [string, string, string, string, string, number];

const JOBS = 'Jobs';
const SKILLS = 'Skills';
const GROWTH = 'Growth';
const HEALTH = 'Healthier communities';
const ENVIRONMENT = 'Environment';

export const DEMO_MEASURES: readonly DemoMeasure[] = [
  ['JOB-01', JOBS, 'More local people in good work', 'Local residents employed to deliver the contract', 'FTE', 2_175_000],
  ['JOB-02', JOBS, 'More local people in good work', 'People out of work for a year or more who are employed on the contract', 'FTE', 1_890_000],
  ['JOB-03', JOBS, 'Young people start their working lives', 'Care leavers and young people not in education, employment or training who are employed', 'FTE', 1_640_000],
  ['JOB-04', JOBS, 'Fair access to work', 'Disabled people employed on the contract', 'FTE', 1_725_000],
  ['JOB-05', JOBS, 'Fair access to work', 'People leaving prison or with past convictions employed on the contract', 'FTE', 1_960_000],
  ['JOB-06', JOBS, 'Fair pay', 'Contract staff paid at least the real Living Wage who were paid less before', 'FTE', 115_000],

  ['SKL-01', SKILLS, 'Local people gain skills for work', 'Apprenticeship weeks completed on the contract', 'weeks', 31_000],
  ['SKL-02', SKILLS, 'Local people gain skills for work', 'Work placement weeks for local residents (at least one week each)', 'weeks', 14_500],
  ['SKL-03', SKILLS, 'Young people ready for work', 'Careers talks, mock interviews and mentoring given in local schools and colleges', 'hours', 4_250],
  ['SKL-04', SKILLS, 'Local people gain skills for work', 'Accredited qualifications at level 2 or above gained by contract staff', 'qualifications', 86_000],
  ['SKL-05', SKILLS, 'Young people ready for work', 'Industry placement weeks for college students on technical courses', 'weeks', 17_500],
  ['SKL-06', SKILLS, 'Local people gain skills for work', 'One-to-one employability support for local jobseekers', 'hours', 3_800],

  ['GRO-01', GROWTH, 'A thriving local economy', 'Contract spend with small and medium-sized businesses based in the borough', '£ spend', 18],
  ['GRO-02', GROWTH, 'A stronger voluntary and community sector', 'Contract spend with voluntary, community and social enterprise organisations in the borough', '£ spend', 24],
  ['GRO-03', GROWTH, 'A thriving local economy', 'Contract spend with supported businesses and social enterprises', '£ spend', 21],
  ['GRO-04', GROWTH, 'A thriving local economy', 'Free expert advice given to local small businesses by contract staff', 'hours', 6_800],
  ['GRO-05', GROWTH, 'A thriving local economy', 'Meet-the-buyer events held for local suppliers', 'events', 125_000],
  ['GRO-06', GROWTH, 'A stronger voluntary and community sector', 'Local VCSE organisations helped to bid for public contracts', 'organisations', 64_000],

  ['HLT-01', HEALTH, 'Healthier, more connected communities', 'Staff volunteering with local community groups', 'hours', 1_420],
  ['HLT-02', HEALTH, 'Healthier, more connected communities', 'Cash given to community projects in priority wards', '£ donated', 100],
  ['HLT-03', HEALTH, 'Better mental health', 'Contract staff trained as mental health first aiders', 'people', 42_000],
  ['HLT-04', HEALTH, 'More active residents', 'Residents taking part in physical activity programmes run or funded by the contractor', 'people', 9_500],
  ['HLT-05', HEALTH, 'Less loneliness', 'Befriending and social activity for older residents', 'hours', 1_675],
  ['HLT-06', HEALTH, 'More active residents', 'Young people taking part in sport, arts or youth club places funded by the contractor', 'people', 12_000],

  ['ENV-01', ENVIRONMENT, 'Lower carbon emissions', 'Carbon emissions avoided on the contract against its agreed baseline', 'tonnes CO2e', 24_500],
  ['ENV-02', ENVIRONMENT, 'Cleaner air', 'Fleet miles driven in zero-emission vehicles instead of petrol or diesel ones', 'miles', 9],
  ['ENV-03', ENVIRONMENT, 'Cleaner, greener places', 'Trees planted in the borough and cared for for at least three years', 'trees', 3_200],
  ['ENV-04', ENVIRONMENT, 'Less waste', 'Waste from the contract kept out of landfill by reuse or recycling', 'tonnes', 5_800],
  ['ENV-05', ENVIRONMENT, 'Cleaner, greener places', 'Community green space created or improved', 'square metres', 640],
  ['ENV-06', ENVIRONMENT, 'Lower carbon emissions', 'Households helped to make their homes warmer and more energy efficient', 'households', 31_000],
];

/** Inserts the demo framework; returns each measure's id by code (for demo contracts to commit against). */
export async function seedDemoMeasures(tx: DbOrTx): Promise<Record<string, string>> {
  const now = nowIso();
  const ids: Record<string, string> = {};
  for (const [code, theme, outcome, title, unit, proxyValuePence] of DEMO_MEASURES) {
    const id = newId();
    ids[code] = id;
    await tx.insertInto('measure').values({
      id, code, theme, outcome, title, unit, proxy_value_pence: proxyValuePence, framework_year: DEMO_FRAMEWORK_YEAR,
      active: 1, is_demo: 1, created_at: now, updated_at: now,
    }).execute();
  }
  return ids;
}
