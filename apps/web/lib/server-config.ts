// The web app's server-side settings, read once. The browser never sees the API key or the API URL.
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

export const serverConfig = {
  apiUrl: url('API_URL', `http://127.0.0.1:${port('API_PORT', 4000)}`),
  /** Where "open in Temporal" links point; the namespace is appended by the console. */
  temporalUiUrl: url('TEMPORAL_UI_URL', 'http://127.0.0.1:8233'),
  temporalNamespace: process.env.TEMPORAL_NAMESPACE || 'default',
  /** Set COOKIE_SECURE=true behind HTTPS so the key cookie is never sent in clear text. */
  cookieSecure: process.env.COOKIE_SECURE === 'true',
};

/** The httpOnly cookie that carries the API key; only the web server reads it. */
export const KEY_COOKIE = 'tk_key';
