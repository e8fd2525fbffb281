import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { deliveryMessage, listContacts, listDeliveries, listRules } from '@/lib/db/queries/alerts';
import { listAccountVms } from '@/lib/db/queries/vms';

export const metadata: Metadata = { title: 'Delivery log' };

const PAGE = 50;

const STATUS_WORDS: Record<string, string> = {
  sent: 'Sent',
  failed: 'Failed',
  pending: 'Waiting to be sent',
  sending: 'Being sent',
  suppressed: 'Not sent',
  waiting: 'Waiting to see if it lasts',
  held: 'Held for quiet hours',
  grouped: 'Grouped',
  digested: 'In a digest',
};

const REASON_WORDS: Record<string, string> = {
  retrying: 'will retry',
  'gave-up': 'gave up after every retry',
  rejected: 'refused by the receiver',
  inhibited: 'the server itself was down',
  maintenance: 'maintenance window',
  'quiet-hours': 'quiet hours',
  throttled: 'hourly limit reached',
  duplicate: 'already reported',
  'not-verified': 'contact not verified',
  'recovery-not-notified': 'the problem was never reported',
  resolved: 'resolved before it was due',
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function DeliveryLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireCustomer();
  const params = await searchParams;
  const before = /^[1-9][0-9]{0,15}$/.test(one(params.before) ?? '') ? Number(one(params.before)) : undefined;
  const ruleId = /^[1-9][0-9]{0,9}$/.test(one(params.ruleId) ?? '') ? Number(one(params.ruleId)) : undefined;
  const db = getDb();
  const [rows, rules, contacts, vms] = await Promise.all([
    listDeliveries(db, { accountId: user.accountId, before, limit: PAGE + 1, ruleId }),
    listRules(db, user.accountId),
    listContacts(db, user.accountId),
    listAccountVms(db, user.accountId),
  ]);
  const page = rows.slice(0, PAGE);
  const bodies = await Promise.all(page.map((d) => (d.status === 'suppressed' ? null : deliveryMessage(db, user.accountId, d.id))));
  const ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  const contactNames = new Map(contacts.map((c) => [c.id, c.label]));
  const vmNames = new Map(vms.map((v) => [v.id, v.hostname]));
  return (
    <>
      <p>
        <Link href="/alerts">← Alert rules</Link>
      </p>
      <h1>Delivery log</h1>
      <p>Every decision about your alerts, newest first: what was sent (with the receiving server&apos;s answer), and what was not, and why.</p>
      {page.length === 0 ? (
        <p className="panel">Nothing yet. When monitoring reports a change that one of your rules is about, it shows here.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Rule</th>
              <th scope="col">About</th>
              <th scope="col">To</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {page.map((d, i) => {
              const body = bodies[i] ? (JSON.parse(bodies[i]!) as { subject?: string; text?: string }) : null;
              return (
                <tr key={d.id} data-testid="delivery">
                  <td>{d.at.toISOString().slice(0, 19).replace('T', ' ')}</td>
                  <td>{ruleNames.get(d.ruleId) ?? `rule #${d.ruleId} (deleted)`}</td>
                  <td>
                    {d.service || 'the server'} on {vmNames.get(d.vmId) ?? `VM #${d.vmId}`}: {d.state}
                  </td>
                  <td>{contactNames.get(d.contactId) ?? 'a removed contact'}</td>
                  <td>
                    <strong>{STATUS_WORDS[d.status] ?? d.status}</strong>
                    {d.reason !== 'sent' && d.reason !== 'send' && REASON_WORDS[d.reason] && `: ${REASON_WORDS[d.reason]}`}
                    {d.carriedBy && d.carriedBy !== d.id && ` (in message #${d.carriedBy})`}
                    {d.response && <div className="small muted">Answer: {d.response}</div>}
                    {d.detail && d.status !== 'sent' && <div className="small muted">{d.detail}</div>}
                    {body?.text && (
                      <details>
                        <summary>The message</summary>
                        <p>
                          <strong>{body.subject}</strong>
                        </p>
                        <pre className="small">{body.text}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rows.length > PAGE && (
        <p>
          <Link href={`/alerts/log?before=${page[page.length - 1]!.id}${ruleId ? `&ruleId=${ruleId}` : ''}`}>Older entries →</Link>
        </p>
      )}
    </>
  );
}
