import Link from 'next/link';

/**
 * On a customer page staff are reading: whose view it is, that it is read-only and audited. Names the
 * VM on a VM's pages, or only the account on its dashboard.
 */
export function StaffViewBanner({ hostname, accountName }: { hostname?: string; accountName: string | null }) {
  const whose = accountName ?? 'its account';
  return (
    <p className="notice" role="status" data-testid="staff-view">
      <strong>Staff view:</strong> {hostname ? `${hostname} as ${whose} sees it` : `${whose}'s portal as its users see it`}. Read-only; this view is recorded in the
      audit log. <Link href={hostname ? '/admin/vms' : '/admin/accounts'}>Back to the console</Link>
    </p>
  );
}
