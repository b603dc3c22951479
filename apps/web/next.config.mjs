/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The console never needs remote images or fonts: the machines it runs on may be offline.
  images: { unoptimized: true },
};
export default nextConfig;
