import type { ReactNode } from 'react';
import { TopBar } from '@/app/_components/top-bar';
import { requireStaff } from '@/lib/auth/session';

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireStaff();
  return (
    <>
      <TopBar
        user={user}
        links={[
          { href: '/admin', label: 'Overview' },
          { href: '/admin/accounts', label: 'Accounts' },
          { href: '/admin/vms', label: 'VMs' },
          { href: '/admin/plans', label: 'Plans' },
          { href: '/admin/users', label: 'Users' },
          { href: '/admin/events', label: 'Events' },
          { href: '/admin/unassigned', label: 'Unassigned' },
          { href: '/admin/pipeline', label: 'Pipeline' },
          { href: '/admin/wallboard', label: 'Wallboard' },
          { href: '/admin/alerts', label: 'Alerts' },
          { href: '/admin/audit', label: 'Audit' },
          { href: '/admin/orders', label: 'Orders' },
          { href: '/admin/settings', label: 'Settings' },
          { href: '/admin/mx', label: 'MX' },
        ]}
      />
      <main>{children}</main>
    </>
  );
}
