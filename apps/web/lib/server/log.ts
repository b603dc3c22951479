// One JSON line per server-side failure on stderr, so raw errors stay in the log and out of responses.
export function logServerError(event: string, err: unknown, extra: Record<string, unknown> = {}): void {
  const error = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${JSON.stringify({ level: 'error', time: new Date().toISOString(), app: 'web', event, error, ...extra })}\n`);
}
