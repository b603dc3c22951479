import type { ReactNode } from 'react';
import './globals.css';

// Every page renders per request, so each carries the CSP nonce proxy.ts made for it (a prerendered page's
// scripts would have none and be blocked).
export const dynamic = 'force-dynamic';

export const metadata = { title: 'Timekeeper', description: 'Recurring batch jobs, scheduled and watched' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
