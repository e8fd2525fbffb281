import Link from 'next/link';

/** On a customer page staff are reading: whose view it is, that it is read-only and audited. */
export function StaffViewBanner({ hostname, accountName }: { hostname: string; accountName: string | null }) {
  return (
    <p className="notice" role="status" data-testid="staff-view">
      <strong>Staff view:</strong> {hostname} as {accountName ?? 'its account'} sees it. Read-only; this view is recorded in the audit log.{' '}
      <Link href="/admin/vms">Back to the console</Link>
    </p>
  );
}
