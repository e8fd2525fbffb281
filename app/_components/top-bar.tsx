import Link from 'next/link';
import type { PortalUser } from '@/lib/auth/current-user';
import { NoBackCache } from './no-back-cache';
import { SignOutButton } from './sign-out-button';

export function TopBar({ user, links }: { user: PortalUser; links: Array<{ href: string; label: string }> }) {
  // The skip link's target sits right after the bar, at the start of either layout's <main>
  // (app/(portal)/layout.tsx, app/admin/layout.tsx): the next Tab after it is the page's first control.
  return (
    <>
      <a href="#content" className="skip-link">
        Skip to the page content
      </a>
      <header className="top">
        <NoBackCache />
        <Link href="/" className="brand">
          Porthole
        </Link>
        <nav aria-label="Main">
          {links.map((link) => (
            <Link key={link.href} href={link.href}>
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span>
            {user.displayName ?? user.username}
            {user.accountName ? ` · ${user.accountName}` : user.isStaff ? ' · Support' : ''}
          </span>
          <SignOutButton />
        </div>
      </header>
      <div id="content" className="skip-target" tabIndex={-1} />
    </>
  );
}
