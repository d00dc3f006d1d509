import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type TestServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startApp({ writeLimitPerIp: 3 });
});
afterAll(() => server.close());

it('answers 429 once an IP has sent more writes than the limit, while reads still work', async () => {
  const post = () => fetch(`${server.url}/sign-out`, { method: 'POST', headers: { Origin: server.origin }, redirect: 'manual' });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await post();
    await response.text();
    statuses.push(response.status);
  }
  expect(statuses.slice(0, 3)).toEqual([303, 303, 303]);
  expect(statuses.slice(3)).toEqual([429, 429]);
  const limited = await post();
  expect(await limited.text()).toMatch(/Too many requests/);
  expect(limited.headers.get('ratelimit-policy')).toMatch(/^3;w=300/);
  expect((await fetch(`${server.url}/sign-in`)).status).toBe(200);
});
