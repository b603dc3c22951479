import { serverConfig } from '@/lib/server-config';
import { problem } from './problem';

/** The origin this console is served from: WEB_ORIGIN, else the scheme and Host of the request. */
export function ownOrigin(req: Request): string {
  if (serverConfig.publicOrigin) return serverConfig.publicOrigin;
  const proto = req.headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.get('host') ?? ''}`;
}

/**
 * Refuses a state-changing request another site made: browsers send `Origin` on every cross-origin
 * POST (a form, a fetch, `Origin: null` from a sandboxed frame), and `Sec-Fetch-Site` besides. A request
 * with neither comes from a client that is not a browser, which cannot ride on a user's cookie.
 * Returns the 403 to send, or null when the request may go on.
 */
export function crossSiteRefusal(req: Request): Response | null {
  const origin = req.headers.get('origin');
  if (origin !== null) {
    return origin === ownOrigin(req) ? null : problem(403, 'cross_site_refused', `Requests from ${origin === 'null' ? 'an opaque origin' : 'another site'} are refused.`);
  }
  const site = req.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return problem(403, 'cross_site_refused', 'Requests from another site are refused.');
  return null;
}
