import type { ActionFunction, AppLoadContext, LoaderFunction } from '@remix-run/node';
import { getDb } from '../../db/client';
import { createSession, sessionCookieName } from '~/auth/session.server';

// Calling loaders and actions directly, as Remix would, with a real session.
export const testContext: AppLoadContext = { requestId: 'test-request', cspNonce: 'test-nonce', clientIp: '203.0.113.9' };

export async function cookieFor(userId: string): Promise<string> {
  return `${sessionCookieName()}=${await createSession(getDb(), userId)}`;
}

export function makeRequest(path: string, { method = 'GET', cookie, form }: { method?: string; cookie?: string; form?: Record<string, string | string[]> } = {}): Request {
  const headers = new Headers();
  if (cookie) headers.set('Cookie', cookie);
  let body: URLSearchParams | undefined;
  if (form) {
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  }
  return new Request(`http://localhost:3000${path}`, { method, headers, body });
}

export interface Outcome {
  status: number;
  /** The Location header for redirects. */
  location: string | null;
  data: unknown;
  headers: Headers;
}

/** Runs a loader or action and normalises what it returned or threw (Response, data(), or a plain value). */
export async function run(fn: LoaderFunction | ActionFunction, request: Request, params: Record<string, string> = {}): Promise<Outcome> {
  let result: unknown;
  try {
    result = await fn({ request, params, context: testContext });
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    return { status: result.status, location: result.headers.get('Location'), data: text, headers: result.headers };
  }
  if (result && typeof result === 'object' && (result as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = result as { data: unknown; init?: ResponseInit | null };
    return { status: init?.status ?? 200, location: null, data, headers: new Headers(init?.headers) };
  }
  if (result instanceof Error) throw result;
  return { status: 200, location: null, data: result, headers: new Headers() };
}
