import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { createSession } from '~/auth/session.server';
import { enqueueNotification } from '~/modules/notifications/outbox.server';
import { londonToday } from '~/modules/contracts/dates';
import { addDays } from '~/modules/returns/periods';
import { makeCommitment, makeContract, makeMeasure, makeUser } from '../tests/support/factories';

// Runs `npm run jobs` as cron would, against this test file's database.
const exec = promisify(execFile);

async function runJobs(env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SMTP_URL: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'scripts/jobs.ts'], { env: childEnv, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run jobs', () => {
  it('cleans up, reports one line, and leaves email in the outbox without SMTP', async () => {
    const user = await makeUser('vcse');
    await createSession(getDb(), user.id, new Date(Date.now() - 40 * 24 * 3_600_000));
    await enqueueNotification(getDb(), { kind: 'test', toEmail: 'waiting@example.org', subject: 'Hi', body: 'Hello' });
    const result = await runJobs({});
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/emails not sent \(SMTP_URL is not set; 1 pending\); deleted 1 expired session, 0 old password resets, 0 old rate limits/);
    const again = await runJobs({});
    expect(again.stdout).toMatch(/deleted 0 expired sessions/);
  });

  it('exits non-zero when email cannot be sent, and records the attempt', async () => {
    const result = await runJobs({ SMTP_URL: 'smtp://127.0.0.1:9' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/emails sent 0, failed 1/);
    const message = await getDb().selectFrom('notification').selectAll().where('to_email', '=', 'waiting@example.org').executeTakeFirstOrThrow();
    expect(message).toMatchObject({ status: 'pending', attempts: 1 });
    expect(message.last_error).toBeTruthy();
  });

  it('exits non-zero with a clear message when the database is missing', async () => {
    const result = await runJobs({ DATABASE_PATH: '/nonexistent/portal.sqlite' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/failed: no database at \/nonexistent\/portal.sqlite/);
  });

  it('queues return reminders once: a second run queues none', async () => {
    const today = londonToday();
    const contractor = await makeUser('contractor');
    const contract = await makeContract({ supplierId: contractor.organisationId, startDate: addDays(today, -200), endDate: addDays(today, 500) });
    await makeCommitment(contract.id, (await makeMeasure()).id, { dueDate: addDays(today, 400) });
    const count = async () => (await getDb().selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).where('to_user_id', '=', contractor.id).where('kind', '=', 'return_reminder').executeTakeFirstOrThrow()).n;

    const first = await runJobs({});
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const queued = Number(/return reminder emails queued (\d+) /.exec(first.stdout)?.[1]);
    // 200 days cover at least one whole quarter whose return is overdue.
    expect(queued).toBe(1);
    expect(await count()).toBe(queued);

    const second = await runJobs({});
    expect(second.stdout).toMatch(/return reminder emails queued 0 \(0 returns\);.*wishlist items expired 0;.*emails not sent/);
    expect(await count()).toBe(queued);
  });
});
