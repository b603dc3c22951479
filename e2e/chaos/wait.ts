export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Polls `check` until it returns a value other than null/false, or `timeoutMs` passes (then returns
 * null: the caller decides whether that is a failure). Errors in `check` count as "not yet".
 */
export async function waitFor<T>(check: () => Promise<T | null | false> | T | null | false, timeoutMs: number, everyMs = 250): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== null && v !== false) return v;
    } catch {
      // not yet
    }
    if (Date.now() >= deadline) return null;
    await sleep(Math.min(everyMs, deadline - Date.now()));
  }
}

/** Like waitFor, but a timeout is an error naming what did not happen. */
export async function waitOrThrow<T>(what: string, check: () => Promise<T | null | false> | T | null | false, timeoutMs: number, everyMs = 250): Promise<T> {
  const v = await waitFor(check, timeoutMs, everyMs);
  if (v === null) throw new Error(`${what} did not happen within ${Math.round(timeoutMs / 1000)} s`);
  return v;
}
