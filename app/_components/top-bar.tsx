import Link from 'next/link';
import type { PortalUser } from '@/lib/auth/current-user';
import { NoBackCache } from './no-back-cache';
import { SignOutButton } from './sign-out-button';

export function TopBar({ user, links }: { user: PortalUser; links: Array<{ href: string; label: string }> }) {
  return (
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
  );
}
