import type { LoaderFunctionArgs } from '@remix-run/node';
import { notFound } from '~/auth/guards.server';

// Public: any address no other route matches answers 404 with the service's own page.
export async function loader(_args: LoaderFunctionArgs) {
  throw notFound();
}

export async function action(_args: LoaderFunctionArgs) {
  throw notFound();
}

export default function NotFound() {
  return null;
}
