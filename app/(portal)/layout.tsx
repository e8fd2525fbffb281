import type { ReactNode } from 'react';
import { TopBar } from '@/app/_components/top-bar';
import { requireCustomer } from '@/lib/auth/session';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireCustomer();
  return (
    <>
      <TopBar
        user={user}
        links={[
          { href: '/', label: 'My VMs' },
          { href: '/alerts', label: 'Alerts' },
          { href: '/mail', label: 'Mail' },
          { href: '/releases', label: 'Releases' },
        ]}
      />
      <main>{children}</main>
    </>
  );
}
