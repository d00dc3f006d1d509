import type { NextFunction, Request, Response } from 'express';

// The resource routes that answer with a file to download. Remix's single fetch
// also answers `<path>.data` for every route, by running its loader and putting
// what it returned inside the turbo-stream payload: for these routes that is the
// whole file, read into memory, without the headers the download itself sends
// (Content-Disposition: attachment, the sandbox CSP, no-store). The portal only
// links to these files and never fetches their `.data`, so those URLs are 404.
// (Who may read them is not the question: the loaders check that on `.data` too.)
export const FILE_ROUTES: readonly RegExp[] = [
  /^\/returns\/[^/]+\/evidence\/[^/]+\/*$/i, // evidence downloads: /returns/<returnId>/evidence/<evidenceId>
  /^\/stories\/[^/]+\/photo\/*$/i, // story photos: /stories/<storyId>/photo
  /\.csv\/*$/i, // exports and templates: /admin/measures.csv, /admin/measures/template.csv, /contracts/import-template.csv
  /^\/wishlist\/[^/]+\/photo\/*$/i, // wishlist item photos: /wishlist/<itemId>/photo
];

/** 404 to a single-fetch `.data` request for a route in FILE_ROUTES; everything else goes on to Remix. */
export function refuseFileRouteData(req: Request, res: Response, next: NextFunction) {
  const pathname = remixPathname(req);
  if (pathname === null || !pathname.endsWith('.data')) return next();
  const routePath = pathname.slice(0, -'.data'.length);
  // Routes match case-insensitively on the decoded path, and the raw one is checked as well.
  const candidates = [routePath, decodePath(routePath)];
  if (!candidates.some((p) => FILE_ROUTES.some((route) => route.test(p)))) return next();
  res.status(404).type('text/plain').send('Not found.');
}

/** The path Remix will see: @remix-run/express builds the request URL from the host and `originalUrl`, like this. */
function remixPathname(req: Request): string | null {
  const forwardedPort = Number.parseInt(req.get('X-Forwarded-Host')?.split(':')[1] ?? '', 10);
  const hostPort = Number.parseInt(req.get('host')?.split(':')[1] ?? '', 10);
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : '';
  try {
    return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`).pathname;
  } catch {
    return null; // Remix cannot build a request from it either
  }
}

/** As React Router decodes a path before matching routes (each segment; an encoded "/" stays encoded). */
function decodePath(path: string): string {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment).replace(/\//g, '%2F')).join('/');
  } catch {
    return path;
  }
}
