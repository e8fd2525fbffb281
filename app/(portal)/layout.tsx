import type { ReactNode } from 'react';
import { redirect } from 'next/navigation';
import { TopBar } from '@/app/_components/top-bar';
import { isCustomer } from '@/lib/auth/current-user';
import { requireUser } from '@/lib/auth/session';

// Customers, and staff reading a VM's pages as its customer sees them (each page checks which it is:
// account pages still send staff to /admin, VM pages show them read-only).
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!isCustomer(user) && !user.isStaff) redirect('/no-account');
  return (
    <>
      <TopBar
        user={user}
        links={
          isCustomer(user)
            ? [
                { href: '/', label: 'My VMs' },
                { href: '/alerts', label: 'Alerts' },
                { href: '/mail', label: 'Mail' },
                { href: '/releases', label: 'Releases' },
              ]
            : [
                { href: '/admin', label: 'Console' },
                { href: '/admin/vms', label: 'VMs' },
              ]
        }
      />
      <main>{children}</main>
    </>
  );
}
