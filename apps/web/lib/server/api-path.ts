/**
 * The API path the proxy may forward for `/api/<segments>`, or why not. Only `/v1/...` goes through, one
 * plain segment at a time: each (as Next decoded it) must be letters, digits and `. _ ~ : @ + -`, and
 * never `.` or `..`; the raw URL may carry no encoded slash, backslash or dot and no empty segment.
 * So nothing can climb out of /v1 (`/api/v1/%2e%2e/metrics`) or be decoded twice (`/jobs/%25`).
 */
export type ApiPath = { ok: true; path: string } | { ok: false; status: 400 | 404; message: string };

const SEGMENT = /^[A-Za-z0-9._~:@+-]{1,200}$/;
const RAW_FORBIDDEN = /%2f|%5c|%2e|\\|\/\/|\/\.{1,2}(\/|$)/i;

export function apiPath(rawUrl: string, segments: string[]): ApiPath {
  const rawPath = rawUrl.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0];
  if (segments[0] !== 'v1' || segments.length < 2) return { ok: false, status: 404, message: 'Only /api/v1/... is forwarded.' };
  if (RAW_FORBIDDEN.test(rawPath)) return { ok: false, status: 400, message: 'The path holds an encoded slash, backslash or dot segment.' };
  for (const s of segments) {
    if (s === '.' || s === '..' || !SEGMENT.test(s)) return { ok: false, status: 400, message: 'A path segment holds characters the API never uses.' };
  }
  return { ok: true, path: `/${segments.map(encodeURIComponent).join('/')}` };
}
