// Progress lines on stderr, stamped with seconds since the run began; the table goes to stdout.
const started = Date.now();

export function say(message: string): void {
  process.stderr.write(`chaos [${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
