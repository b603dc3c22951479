// The browser's fetcher: every call goes through the web server's /api proxy, which adds the key.
export type FieldError = { field: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isApiError = (err: unknown, status?: number): err is ApiError =>
  err instanceof ApiError && (status === undefined || err.status === status);

type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** `path?query`, leaving out empty values; an array repeats its name (`key=a&key=b`). */
export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(0, 'network', 'The console could not reach its server.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; message?: string; details?: FieldError[] };
    if (res.status === 401 && typeof window !== 'undefined' && !path.startsWith('/v1/me')) {
      window.dispatchEvent(new CustomEvent('tk:unauthorized'));
    }
    throw new ApiError(res.status, b.error ?? 'http_error', b.message ?? `The API answered ${res.status}`, b.details ?? []);
  }
  return body as T;
}

/** Field errors keyed by field path, for forms ("schedule.cron" -> message). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const d of err.details) out[d.field.replace(/^\/?body[./]?/, '').replace(/\//g, '.')] ??= d.message;
  return out;
}
