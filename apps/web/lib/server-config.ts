// The web app's server-side settings, read once. The browser never sees the API key or these URLs.
function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} is invalid: expected a port number`);
  return value;
}

export const serverConfig = {
  apiUrl: process.env.API_URL ?? `http://127.0.0.1:${port('API_PORT', 4000)}`,
};
