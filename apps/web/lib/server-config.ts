// The web app's server-side settings, read once. The browser never sees the API key, the session's key,
// the console secret or the API URL.
function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} is invalid: expected a port number`);
  return value;
}

function url(name: string, fallback: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new Error(`${name} is invalid: expected a URL`);
  }
}

function origin(name: string): string | null {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return null;
  try {
    return new URL(raw).origin;
  } catch {
    throw new Error(`${name} is invalid: expected a URL such as https://console.example.com`);
  }
}

function secret(name: string): string {
  const raw = process.env[name];
  if (!raw || raw.length < 32) throw new Error(`${name} is missing or shorter than 32 characters (scripts/apps.sh keeps one in .data/console-secret)`);
  return raw;
}

function bytes(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1024) throw new Error(`${name} is invalid: expected a number of bytes, at least 1024`);
  return value;
}

const cookieSecure = process.env.COOKIE_SECURE === 'true';

export const serverConfig = {
  apiUrl: url('API_URL', `http://127.0.0.1:${port('API_PORT', 4000)}`),
  /** Where "open in Temporal" links point; the namespace is appended by the console. */
  temporalUiUrl: url('TEMPORAL_UI_URL', 'http://127.0.0.1:8233'),
  temporalNamespace: process.env.TEMPORAL_NAMESPACE || 'default',
  /**
   * Set COOKIE_SECURE=true whenever the console is served over TLS: the session cookie is then `Secure`
   * and named with the `__Host-` prefix (this host only, path /, never sent in clear text).
   */
  cookieSecure,
  /**
   * Shared with the API (CONSOLE_SECRET there): lets the API accept sessions and the browser's address
   * from us. Read on use, since `next build` loads this module without it; the server checks it at start.
   */
  get consoleSecret(): string {
    return secret('CONSOLE_SECRET');
  },
  /** The console's public origin (e.g. behind a reverse proxy); by default the request's own Host. */
  publicOrigin: origin('WEB_ORIGIN'),
  /** Request bodies the proxy accepts, counted before anything is buffered (the API's own limit is 256 KiB). */
  maxBodyBytes: bytes('MAX_BODY_BYTES', 256 * 1024),
};

/** Called once when the server starts (instrumentation.ts): a missing setting stops it with one line. */
export function checkServerConfig(): void {
  void serverConfig.consoleSecret;
}

/** The httpOnly cookie that carries the session id; only the web server reads it. */
export const SESSION_COOKIE = cookieSecure ? '__Host-tk_session' : 'tk_session';
/** Earlier versions kept the raw API key in this cookie; it is cleared on sight. */
export const LEGACY_KEY_COOKIE = 'tk_key';
