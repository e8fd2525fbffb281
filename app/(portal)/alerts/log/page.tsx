import type { Metadata } from 'next';
import Link from 'next/link';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireAccountView } from '@/lib/vms/page-viewer';
import { getDb } from '@/lib/db';
import { DeliveryTable } from '@/app/_components/delivery-table';
import { deliveryLabels, deliveryMessages, listDeliveries } from '@/lib/db/queries/alerts';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Delivery log' };

const PAGE = 50;


export default async function DeliveryLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const { accountId, accountName, staffView } = await requireAccountView(firstValue(params.account), 'delivery log');
  const asStaff = staffView ? `account=${accountId}&` : '';
  const before = /^[1-9][0-9]{0,15}$/.test(firstValue(params.before) ?? '') ? Number(firstValue(params.before)) : undefined;
  const ruleId = /^[1-9][0-9]{0,9}$/.test(firstValue(params.ruleId) ?? '') ? Number(firstValue(params.ruleId)) : undefined;
  const db = getDb();
  const rows = await listDeliveries(db, { accountId, before, limit: PAGE + 1, ruleId });
  const page = rows.slice(0, PAGE);
  const [labels, messages] = await Promise.all([
    deliveryLabels(db, page),
    deliveryMessages(
      db,
      accountId,
      page.filter((d) => d.status !== 'suppressed').map((d) => d.id),
    ),
  ]);
  return (
    <>
      <p>
        <Link href={staffView ? `/alerts?account=${accountId}` : '/alerts'}>← Alert rules</Link>
      </p>
      <h1>Delivery log</h1>
      {staffView ? <StaffViewBanner accountName={accountName} accountId={accountId} /> : null}
      <p>Every decision about your alerts, newest first: what was sent (with the receiving server&apos;s answer), and what was not, and why.</p>
      {page.length === 0 ? (
        <p className="panel">Nothing yet. When monitoring reports a change that one of your rules is about, it shows here.</p>
      ) : (
        <DeliveryTable rows={page} labels={labels} messages={messages} />
      )}
      {rows.length > PAGE && (
        <p>
          <Link href={`/alerts/log?${asStaff}before=${page[page.length - 1]!.id}${ruleId ? `&ruleId=${ruleId}` : ''}`}>Older entries →</Link>
        </p>
      )}
    </>
  );
}
