// Headers on every console response. Pages also get a Content-Security-Policy with a fresh script nonce
// from proxy.ts; the routes that answer JSON or streams (and never render HTML) get a closed one here.
const everywhere = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];
const closedCsp = [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The console never needs remote images or fonts: the machines it runs on may be offline.
  images: { unoptimized: true },
  // Proxy (proxy.ts) copies the body of each request it runs for; bound that copy like the API's limit.
  experimental: { proxyClientMaxBodySize: '256kb' },
  async headers() {
    return [
      { source: '/:path*', headers: everywhere },
      ...['/api/:path*', '/auth/:path*', '/healthz', '/readyz', '/metrics'].map((source) => ({ source, headers: closedCsp })),
    ];
  },
};
export default nextConfig;
