import Link from 'next/link';

/**
 * On a customer page staff are reading: whose view it is, that it is read-only and audited. Names the
 * VM on a VM's pages; on an account's pages (`accountId`) it links that account's other pages.
 */
export function StaffViewBanner({ hostname, accountName, accountId }: { hostname?: string; accountName: string | null; accountId?: number }) {
  const whose = accountName ?? 'its account';
  const q = accountId === undefined ? '' : `?account=${accountId}`;
  return (
    <div className="notice" role="status" data-testid="staff-view">
      <p>
        <strong>Staff view:</strong> {hostname ? `${hostname} as ${whose} sees it` : `${whose}'s portal as its users see it`}. Read-only; this view is recorded in
        the audit log. <Link href={hostname ? '/admin/vms' : '/admin/accounts'}>Back to the console</Link>
      </p>
      {accountId !== undefined ? (
        <nav aria-label={`${whose}'s pages`} className="small">
          <Link href={`/${q}`}>Dashboard</Link> · <Link href={`/alerts${q}`}>Alerts</Link> · <Link href={`/alerts/log${q}`}>Delivery log</Link> ·{' '}
          <Link href={`/alerts/contacts${q}`}>Contacts</Link> · <Link href={`/mail${q}`}>Mail backup</Link>
        </nav>
      ) : null}
    </div>
  );
}
