import type { Metadata } from 'next';
import Link from 'next/link';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireAccountView } from '@/lib/vms/page-viewer';
import { firstValue } from '@/lib/vms/params';
import { simulateRule } from '@/lib/alerts/simulate';
import { defaultRule } from '@/lib/alerts/rule';
import { getDb } from '@/lib/db';
import { formatDateTime } from '@/lib/vms/time-format';
import { PREVIEW_EVENTS, accountMaintenance, accountPreviewEvents, knownServices, listContacts, listRules } from '@/lib/db/queries/alerts';
import { listAccountVms } from '@/lib/db/queries/vms';
import { presentRules } from '@/lib/notify/rules';
import { RuleActions, RuleForm, type FormChoices } from './rule-forms';

export const metadata: Metadata = { title: 'Alerts' };

const DAY = 86_400_000;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { accountId, accountName, staffView } = await requireAccountView(firstValue((await searchParams).account), 'alerts');
  const asStaff = staffView ? `?account=${accountId}` : '';
  const db = getDb();
  const now = new Date();
  const since = new Date(now.getTime() - 30 * DAY);
  const [rules, contacts, vms, services, maintenance] = await Promise.all([
    listRules(db, accountId),
    listContacts(db, accountId),
    listAccountVms(db, accountId),
    knownServices(db, accountId),
    accountMaintenance(db, accountId, since),
  ]);
  // The previews replay the month's state changes: read only when there is a rule to replay them for.
  const [presented, history] = await Promise.all([
    presentRules(db, accountId, rules),
    rules.length > 0 ? accountPreviewEvents(db, accountId, since) : { events: [], complete: true },
  ]);
  // When the newest PREVIEW_EVENTS did not reach back to `since`: how far they go.
  const coveredSince = history.events[0]?.occurredAt ?? since;
  const choices: FormChoices = {
    vms: vms.map((v) => ({ id: v.id, name: v.hostname })),
    services,
    contacts: contacts.map((c) => ({ id: c.id, label: c.label, verified: c.verified })),
    timeZones: Intl.supportedValuesOf('timeZone'),
  };
  const weekAgo = now.getTime() - 7 * DAY;
  const firstVerified = contacts.find((c) => c.verified && c.kind !== 'alarm') ?? contacts.find((c) => c.verified);
  const blank = { ...defaultRule(firstVerified?.id ?? 0), name: '', contactIds: firstVerified ? [firstVerified.id] : [] };

  return (
    <>
      <h1>Alerts</h1>
      {staffView ? <StaffViewBanner accountName={accountName} accountId={accountId} /> : null}
      <p>
        Each rule says what you want to hear about, how often, in how much detail and where. Every decision is in the{' '}
        <Link href={`/alerts/log${asStaff}`}>delivery log</Link>, including why a message was not sent. Messages go to your{' '}
        <Link href={`/alerts/contacts${asStaff}`}>contacts</Link> once they are verified.
      </p>
      {presented.length === 0 && <p className="panel">You have no alert rules: nothing is sent to you. Create one below.</p>}
      {presented.map((r) => {
        const simulation = simulateRule(r.rule, history.events, { maintenance });
        const lastWeek = simulation.sent.filter((m) => m.at.getTime() > weekAgo);
        return (
          <section key={r.id} className="panel" aria-labelledby={`rule-${r.id}`} style={{ marginTop: '1rem' }}>
            <h2 id={`rule-${r.id}`}>
              {staffView ? r.name : <Link href={`/alerts/${r.id}`}>{r.name}</Link>}
              {!r.enabled && <span className="muted"> (switched off)</span>}
            </h2>
            <p data-testid="rule-summary">{r.summary}</p>
            {r.warnings.length > 0 && (
              <div className="error" role="alert">
                Check this rule:
                <ul>
                  {r.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            )}
            <p data-testid="rule-preview">
              Over the last 7 days this rule would have sent {lastWeek.length} message{lastWeek.length === 1 ? '' : 's'}; over 30 days,{' '}
              {simulation.sent.length}.
              {history.complete ? null : (
                <span className="muted">
                  {' '}
                  Counted from your VMs&apos; newest {PREVIEW_EVENTS.toLocaleString('en')} state changes, which go back to{' '}
                  {formatDateTime(coveredSince, 'UTC')}
                  {coveredSince.getTime() > weekAgo ? ', so even the 7-day figure is only part of the week' : ''}.
                </span>
              )}
            </p>
            {simulation.sent.length > 0 && (
              <details>
                <summary>The messages it would have sent</summary>
                <ul>
                  {simulation.sent.slice(-20).map((m, i) => (
                    <li key={i}>
                      {formatDateTime(m.at, 'UTC')}:{' '}
                      {m.events.map((e) => `${e.service || e.vmName} ${e.state}`).join(', ')}
                      {m.events.length > 0 && ` on ${m.events[0]!.vmName}`}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {staffView ? null : <RuleActions id={r.id} name={r.name} enabled={r.enabled} />}
          </section>
        );
      })}
      {staffView ? null : (
        <section className="panel" aria-labelledby="new-rule" style={{ marginTop: '1rem' }}>
          <h2 id="new-rule">New rule</h2>
          <RuleForm choices={choices} rule={blank} />
        </section>
      )}
    </>
  );
}
