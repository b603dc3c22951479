'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

export function LoginForm({ expired }: { expired: boolean }) {
  const router = useRouter();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        setError(body.message ?? 'Sign-in failed.');
        return;
      }
      router.replace('/jobs');
      router.refresh();
    } catch {
      setError('The console could not reach its server.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login panel">
      <h1>Timekeeper</h1>
      <p className="muted">Sign in with an API key. It is kept by the console's server in an httpOnly cookie, never in the page.</p>
      {expired && <div className="notice warn">Your session ended or the key was revoked. Sign in again.</div>}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            name="key"
            type="password"
            autoComplete="off"
            autoFocus
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'api-key-error' : undefined}
          />
          {error && (
            <span className="error" id="api-key-error" role="alert">
              {error}
            </span>
          )}
        </div>
        <button type="submit" className="btn primary" disabled={busy || !key.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
