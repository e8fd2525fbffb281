/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own directory so a running demo's build is never replaced.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // Server actions' bodies: Next's 1 MB default is too small for a Nagios objects.cache (up to 5 MB,
  // app/admin/vms/import) sent as a file or pasted text.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: '6mb' } },
  serverExternalPackages: ['ldapts', 'mysql2', '@stomp/stompjs', '@stomp/tcp-wrapper'],
  // The portal uses no next/image: the optimizer may fetch nothing, neither remote nor local, so
  // /_next/image?url=… answers 400 for any URL (e2e/client-errors.api.spec.ts).
  images: { remotePatterns: [], localPatterns: [], dangerouslyAllowSVG: false },
  // Security headers are set per request: the baseline (nosniff, frame and referrer policy,
  // Permissions-Policy, HSTS over TLS) in server.mjs, the nonce CSP in proxy.ts.
};

export default nextConfig;
