import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { knownServices, listContacts, ownedRule } from '@/lib/db/queries/alerts';
import { listAccountVms } from '@/lib/db/queries/vms';
import { presentRules } from '@/lib/notify/rules';
import { parseId } from '@/lib/vms/params';
import { RuleForm } from '../rule-forms';

export const metadata: Metadata = { title: 'Alert rule' };

export default async function RulePage({ params }: { params: Promise<{ ruleId: string }> }) {
  const user = await requireCustomer();
  const id = parseId((await params).ruleId);
  const db = getDb();
  const rule = id === null ? null : await ownedRule(db, user.accountId, id);
  if (!rule) notFound();
  const [[presented], contacts, vms, services] = await Promise.all([
    presentRules(db, user.accountId, [rule]),
    listContacts(db, user.accountId),
    listAccountVms(db, user.accountId),
    knownServices(db, user.accountId),
  ]);
  return (
    <>
      <p>
        <Link href="/alerts">← Alert rules</Link> · <Link href={`/alerts/log?ruleId=${rule.id}`}>this rule&apos;s deliveries</Link>
      </p>
      <h1>{rule.name}</h1>
      <p data-testid="rule-summary">{presented!.summary}</p>
      <RuleForm
        id={rule.id}
        rule={rule.rule}
        choices={{
          vms: vms.map((v) => ({ id: v.id, name: v.hostname })),
          services,
          contacts: contacts.map((c) => ({ id: c.id, label: c.label, verified: c.verified })),
          timeZones: Intl.supportedValuesOf('timeZone'),
        }}
      />
    </>
  );
}
