import { useContext } from 'react';
import { useMatches } from '@remix-run/react';
import { UNSAFE_DataRouterStateContext } from 'react-router-dom';
import { SERVICE_NAME } from './layout';

/** Routes name their page with `export const handle = { title: 'Sign in' }` (or a function of loader data). */
export interface RouteHandle {
  title?: string | ((data: unknown) => string);
}

// Remix's meta() cannot see action data, so the "Error: " prefix that GOV.UK
// asks for after a failed submission is decided here from the router state.
export function usePageTitle(errorTitle?: string): string {
  const matches = useMatches();
  const state = useContext(UNSAFE_DataRouterStateContext);
  let title = errorTitle;
  if (!title) {
    for (const match of [...matches].reverse()) {
      const handle = match.handle as RouteHandle | undefined;
      if (handle?.title) {
        title = typeof handle.title === 'function' ? handle.title(match.data) : handle.title;
        break;
      }
    }
  }
  const failed = Object.values(state?.actionData ?? {}).some(
    (d) => d && typeof d === 'object' && (d as { status?: string }).status === 'error',
  );
  const full = title ? `${title} – ${SERVICE_NAME}` : SERVICE_NAME;
  return failed ? `Error: ${full}` : full;
}
