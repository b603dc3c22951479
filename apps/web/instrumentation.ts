// Runs once when the Next server starts: parse the server settings now, so a bad variable stops the
// server with one line naming it instead of failing the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  try {
    const { checkServerConfig } = await import('./lib/server-config');
    checkServerConfig();
  } catch (err) {
    process.stderr.write(`config error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
