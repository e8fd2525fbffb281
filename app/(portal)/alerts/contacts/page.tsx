import type { Metadata } from 'next';
import Link from 'next/link';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireAccountView } from '@/lib/vms/page-viewer';
import { firstValue } from '@/lib/vms/params';
import { getDb } from '@/lib/db';
import { listContacts } from '@/lib/db/queries/alerts';
import { AddContactForm, PushSubscribeButton, RemoveContactForm, VerifyForm, SendTestForm } from './contact-forms';

export const metadata: Metadata = { title: 'Alert contacts' };

const KIND_WORDS = { email: 'Email', sms: 'Text message', webhook: 'Webhook', push: 'Push notifications', alarm: 'Audible alarm' } as const;

export default async function ContactsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { accountId, accountName, staffView } = await requireAccountView(firstValue((await searchParams).account), 'contacts');
  const contacts = await listContacts(getDb(), accountId);
  return (
    <>
      <p>
        <Link href={staffView ? `/alerts?account=${accountId}` : '/alerts'}>← Alert rules</Link>
      </p>
      <h1>Where alerts go</h1>
      {staffView ? <StaffViewBanner accountName={accountName} accountId={accountId} /> : null}
      <p>
        A contact receives alerts only once it is verified: email and phone by a code we send there, a webhook by a signed test delivery
        its receiver accepts, push notifications by subscribing on the device. The audible alarm sounds on your open dashboards.
      </p>
      {staffView ? null : (
        <>
          <AddContactForm />
          <PushSubscribeButton publicKey={process.env.VAPID_PUBLIC_KEY || null} />
        </>
      )}
      <table className="stack" style={{ marginTop: '1rem' }}>
        <caption className="visually-hidden">Your contacts</caption>
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((c) => (
            <tr key={c.id}>
              <td data-label="Contact">
                {c.label}
                {c.kind !== 'push' && c.kind !== 'alarm' && c.target !== c.label && <div className="small muted">{c.target}</div>}
              </td>
              <td data-label="Kind">{KIND_WORDS[c.kind]}</td>
              <td data-label="Status">{c.verified ? 'Verified' : 'Not verified yet: receives nothing'}</td>
              <td data-label="Actions">
                {staffView ? '—' : null}
                {!staffView && !c.verified && (c.kind === 'email' || c.kind === 'sms') && <VerifyForm id={c.id} label={c.label} />}
                {!staffView && (c.kind === 'webhook' || (c.verified && c.kind !== 'alarm')) && <SendTestForm id={c.id} label={c.label} />}
                {!staffView && c.kind !== 'alarm' && <RemoveContactForm id={c.id} label={c.label} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
