import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getUser } from '~/auth/guards.server';
import { PageLayout } from '~/components/layout';
import { useNonce } from '~/components/nonce';
import { usePageTitle } from '~/components/page-title';
import styles from '~/styles/app.scss?url';
import { getEnv, isOutboxVisible } from '~/utils/env.server';
import { getDb } from '#db/client';
import { navCounts } from '~/modules/home/nav-counts.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // Public: the header shows who is signed in. Pages authorise for themselves.
  const user = await getUser(request);
  return {
    authorityName: getEnv().AUTHORITY_NAME,
    outboxVisible: isOutboxVisible(),
    // The header shows officers how many returns, requests and items wait for a decision.
    counts: await navCounts(getDb(), user?.role ?? 'public'),
    user: user ? { name: user.name, role: user.role, organisationName: user.organisationName } : null,
  };
}

function errorPage(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return ERROR_PAGES[status] ?? {
    title: 'Sorry, there is a problem with the service',
    body: 'Try again later. Anything you had already saved has been kept.',
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const error = useRouteError();
  const title = usePageTitle(error ? errorPage(error).title : undefined);
  return (
    <html lang="en-GB" className="govuk-template">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content="Report, verify and celebrate the social value that council contracts deliver." />
        <title>{title}</title>
        <Meta />
        <Links />
      </head>
      <body className="govuk-template__body">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>('root');
  return (
    <PageLayout user={data?.user ?? null} authorityName={data?.authorityName ?? ''} outboxVisible={data?.outboxVisible ?? false} counts={data?.counts}>
      <Outlet />
    </PageLayout>
  );
}

export const ERROR_PAGES: Record<number, { title: string; body: string }> = {
  400: { title: 'Sorry, we could not read what was sent', body: 'Go back to the page, check what you entered and try again.' },
  415: { title: 'Sorry, we could not read what was sent', body: 'Forms must be sent from their page in the portal. Go back to the page and try again.' },
  403: { title: 'You do not have permission to see this page', body: 'Your account does not allow this. If you think it should, contact the council’s social value team.' },
  404: { title: 'Page not found', body: 'If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.' },
  409: { title: 'This has already been decided', body: 'Someone else changed this record while you were looking at it. Go back and reload the page to see its current state.' },
  429: { title: 'Too many requests', body: 'You have made too many requests in a short time. Wait a few minutes and try again.' },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>('root');
  const page = errorPage(error);
  // A 409 says who decided first and when (the service's own message); other errors stay generic.
  const detail = isRouteErrorResponse(error) && error.status === 409 && typeof error.data === 'string' && error.data ? error.data : null;
  return (
    <PageLayout user={data?.user ?? null} authorityName={data?.authorityName ?? ''} outboxVisible={data?.outboxVisible ?? false} counts={data?.counts}>
      <h1 className="govuk-heading-l">{page.title}</h1>
      {detail ? <p className="govuk-body">{detail}</p> : null}
      <p className="govuk-body">{page.body}</p>
      <p className="govuk-body"><a className="govuk-link" href="/">Go to the home page</a></p>
    </PageLayout>
  );
}
