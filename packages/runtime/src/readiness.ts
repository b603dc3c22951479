/** A named dependency check for /readyz: resolves when the dependency answers, throws otherwise. */
export type ReadinessCheck = { name: string; check: () => Promise<unknown> };

export type ReadinessReport = { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };

/** Runs every check in parallel, each bounded by a timeout, and reports which one did not answer. */
export async function checkReadiness(checks: ReadinessCheck[], timeoutMs = 2_000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { ok: true }] as const;
      } catch (err) {
        return [name, { ok: false, error: err instanceof Error ? err.message : String(err) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}
