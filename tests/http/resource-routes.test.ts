import http from 'node:http';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestServer } from './support';

// Single-fetch `.data` URLs of the routes that answer with a file are refused
// before Remix (which would put the whole file in its payload without the
// download's headers). A stand-in build records what reaches Remix, so this
// runs without `npm run build`.

const reached: string[] = [];
let server: TestServer;
beforeAll(async () => {
  const build = (): Promise<ServerBuild> => Promise.reject(new Error('reached Remix'));
  server = await startApp({
    build: () => {
      reached.push('remix');
      return build();
    },
  });
});
afterAll(() => server.close());

/** A request with the path exactly as written (fetch would normalise it) and any Host header. */
function send(path: string, { method = 'GET', host }: { method?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method, headers: host ? { Host: host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function reachesRemix(path: string, options?: { method?: string; host?: string }) {
  reached.length = 0;
  const response = await send(path, options);
  return { ...response, remix: reached.length > 0 };
}

const R = '3f1c2b9a-0000-4000-8000-000000000001';
const E = '3f1c2b9a-0000-4000-8000-000000000002';

describe('single-fetch .data of a file download', () => {
  it.each([
    `/returns/${R}/evidence/${E}.data`,
    `/returns/${R}/evidence/${E}.data?_routes=routes%2Freturns.%24returnId.evidence.%24evidenceId`,
    `/returns/${R}/evidence/${E}/.data`,
    `/RETURNS/${R}/Evidence/${E}.data`,
    `/returns/${R}/%65vidence/${E}.data`,
    `/returns/${R}/evidence/other/../${E}.data`,
    '/admin/measures.csv.data',
    '/admin/measures/template.csv.data',
    '/contracts/import-template.csv.data',
    '/contracts/import-template.CSV.data',
  ])('%s is 404 and never reaches Remix', async (path) => {
    const response = await reachesRemix(path);
    expect(response).toEqual({ status: 404, body: 'Not found.', remix: false });
  });

  it('is 404 for any method', async () => {
    for (const method of ['HEAD', 'POST']) {
      const response = await reachesRemix(`/returns/${R}/evidence/${E}.data`, { method });
      expect(response.status, method).toBe(404);
      expect(response.remix, method).toBe(false);
    }
  });

  it('is 404 when a Host header smuggles the path Remix would see', async () => {
    const response = await reachesRemix('/anything', { host: `localhost/returns/${R}/evidence/${E}.data?` });
    expect(response).toMatchObject({ status: 404, remix: false });
  });

  it.each([
    `/returns/${R}/evidence/${E}`,
    '/admin/measures.csv',
    '/contracts/import-template.csv',
    `/returns/${R}.data`,
    '/_root.data',
    '/admin/measures.data',
    `/returns/${R}/evidence.data`,
  ])('%s goes on to Remix as before', async (path) => {
    expect((await reachesRemix(path)).remix).toBe(true);
  });
});
