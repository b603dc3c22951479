'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useOpenAlertCount } from '@/lib/api/alerts/list-alerts';
import { useMe } from '@/lib/api/me/get-me';
import { useFallbackInterval, useLiveState } from '@/lib/live/live-events';

const NAV = [
  { href: '/jobs', label: 'Jobs' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/alert-rules', label: 'Routing' },
  { href: '/maintenance', label: 'Maintenance' },
  { href: '/alert-policies', label: 'Policies' },
  { href: '/audit', label: 'Audit log' },
];

export function AppHeader() {
  const pathname = usePathname();
  const router = useRouter();
  const me = useMe().data;
  const live = useLiveState();
  // Keep the badge fresh while there is no stream to push it.
  const poll = useFallbackInterval(15_000);
  const alerts = useOpenAlertCount(poll);
  const count = alerts.data?.count ?? 0;
  const signOut = async () => {
    await fetch('/auth/logout', { method: 'POST' });
    router.replace('/login');
    router.refresh();
  };
  return (
    <header className="header">
      <Link href="/jobs" className="brand">
        Timekeeper
      </Link>
      <nav className="nav" aria-label="Main">
        {NAV.map((n) => (
          <Link key={n.href} href={n.href} aria-current={pathname === n.href || pathname.startsWith(`${n.href}/`) ? 'page' : undefined}>
            {n.label}
            {n.href === '/alerts' && count > 0 && (
              <span className="badge-count" data-testid="alert-count" aria-label={`${count} open alerts`}>
                {count}
                {alerts.data?.more ? '+' : ''}
              </span>
            )}
          </Link>
        ))}
      </nav>
      <div className="header-right">
        <span className="live-dot" data-state={live} title={live === 'live' ? 'Live updates on' : live === 'connecting' ? 'Connecting to the live stream' : 'No live stream: refreshing every few seconds'}>
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting' : 'Polling'}
        </span>
        {me && (
          <span data-testid="whoami">
            {me.actor} · <strong>{me.role}</strong>
          </span>
        )}
        <button type="button" className="btn small" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
