/** A named dependency check for /readyz: resolves when the dependency answers, throws otherwise. */
export type ReadinessCheck = { name: string; check: () => Promise<unknown> };

/**
 * Which dependencies answer. A failing one is named with a fixed phrase, never its raw error text
 * (addresses, versions, credentials in a URL): /readyz is public. The raw error goes to `onFailure`.
 */
export type ReadinessReport = { ready: boolean; checks: Record<string, { ok: boolean; error?: 'no answer' | 'failed' }> };

/** Runs every check in parallel, each bounded by a timeout, and reports which one did not answer. */
export async function checkReadiness(
  checks: ReadinessCheck[],
  timeoutMs = 2_000,
  onFailure: (name: string, err: unknown) => void = () => undefined,
): Promise<ReadinessReport> {
  const timedOut = new Error(`no answer within ${timeoutMs} ms`);
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(timedOut), timeoutMs);
          }),
        ]);
        return [name, { ok: true }] as const;
      } catch (err) {
        onFailure(name, err);
        return [name, { ok: false, error: err === timedOut ? 'no answer' : 'failed' }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}
