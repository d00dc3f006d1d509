import type { RouteConfig } from '@remix-run/route-config';
import { flatRoutes } from '@remix-run/fs-routes';

// File-system routes; tests beside a route never become routes themselves.
export default flatRoutes({ ignoredRouteFiles: ['**/*.test.*', '**/*.scss', '**/*.css'] }) satisfies RouteConfig;
