import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = { title: { default: 'Porthole', template: '%s · Porthole' }, manifest: '/manifest.webmanifest' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next can put this request's CSP nonce on its scripts
  // (proxy.ts, lib/http/csp.ts); a page prerendered at build time would carry none and not hydrate.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
