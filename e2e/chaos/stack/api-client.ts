import { errorText } from '../log';
import { sleep } from '../wait';

export type ApiResponse<T> = { status: number; body: T };

/**
 * The driver's way in: every job, retry and backfill goes through the API as an operator's would.
 * While a fault is on (MariaDB or Temporal restarting) a call that fails with a network error or a
 * 5xx is tried again until `patienceMs`; 4xx answers are the caller's business.
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, patienceMs = 90_000): Promise<ApiResponse<T>> {
    const deadline = Date.now() + patienceMs;
    let last = '';
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        const parsed = (text ? JSON.parse(text) : undefined) as T;
        if (res.status < 500) return { status: res.status, body: parsed };
        last = `${res.status} ${text.slice(0, 300)}`;
      } catch (err) {
        last = errorText(err);
      }
      if (Date.now() >= deadline) throw new Error(`${method} ${path} failed for ${Math.round(patienceMs / 1000)} s: ${last}`);
      await sleep(Math.min(2_000, 200 * 2 ** attempt));
    }
  }

  /** A call that must answer one of `expected`; anything else is an error naming the answer. */
  async expect<T = unknown>(expected: number[], method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const res = await this.call<T>(method, path, body);
    if (!expected.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res;
  }
}
