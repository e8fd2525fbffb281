import type { Metadata } from 'next';
import { CodeBlock } from '@/app/_components/guide-steps';
import { LocalTime } from '@/app/_components/local-time';
import { SmtpConversation } from '@/app/_components/smtp-conversation';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireAccountView } from '@/lib/vms/page-viewer';
import { firstValue } from '@/lib/vms/params';
import { getDb } from '@/lib/db';
import { listMailDomains } from '@/lib/db/queries/mail-domains';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { maxPrimaryPreference, mxZoneLines, parseMxBackupSettings, smtpTest } from '@/lib/guides/mx-backup';
import { mxBackupInput } from '@/lib/guides/settings';
import { AddDomainForm, DomainActions } from './mail-forms';

export const metadata: Metadata = { title: 'Mail backup' };

export default async function MailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { accountId, accountName, staffView } = await requireAccountView(firstValue((await searchParams).account), 'mail');
  const db = getDb();
  const [{ values: settings }, domains] = await Promise.all([loadGuideSettings(db), listMailDomains(db, accountId)]);
  const mx = mxBackupInput(settings);
  const maxPrimary = maxPrimaryPreference(parseMxBackupSettings(mx));
  const firstMx = settings.mxHosts[0]?.host ?? 'mx1.example.net';
  const testDomain = domains[0]?.domain ?? 'example.com';
  const manual = smtpTest(firstMx, testDomain, 'you@example.net');

  return (
    <>
      <h1>Mail backup (backup MX)</h1>
      <p>
        When your own mail server is down, our MX hosts ({settings.mxHosts.map((h) => h.host).join(', ')}) queue mail
        for your domains and pass it on once it is back. They accept mail for a domain only when they are listed as its
        MX with a higher preference number than your own server, and your server is inside our network (
        {settings.mxPermitNetworks.join(', ')}).
      </p>
      {staffView ? <StaffViewBanner accountName={accountName} accountId={accountId} /> : <AddDomainForm />}

      {domains.length === 0 ? (
        <p className="panel">You have no mail domains yet. Add one to see the DNS records to publish.</p>
      ) : (
        domains.map((d) => (
          <section key={d.id} aria-labelledby={`domain-${d.id}`} className="panel" style={{ marginTop: '1rem' }}>
            <h2 id={`domain-${d.id}`} style={{ marginTop: 0 }}>
              {d.domain}
            </h2>
            <p>
              Publish these MX records in the {d.domain} zone, beside your own mail server’s MX record, which needs a
              preference number of {maxPrimary} or lower (e.g. <code>{`${d.domain}.  3600  IN  MX  10 mail.${d.domain}.`}</code>):
            </p>
            <CodeBlock text={mxZoneLines(d.domain, mx).join('\n')} label="Copy MX records" />
            <h3>Latest check</h3>
            {d.latestCheck ? (
              <div data-testid="latest-check">
                <p>
                  <span className={`state ${d.latestCheck.ok ? 'state-OK' : 'state-CRITICAL'}`}>{d.latestCheck.ok ? 'OK' : 'PROBLEMS'}</span>{' '}
                  checked <LocalTime at={d.latestCheck.checkedAt} />
                </p>
                <ul>
                  {d.latestCheck.checks.map((c) => (
                    <li key={c.id}>
                      {c.ok ? '✓' : '✗'} <span className="visually-hidden">{c.ok ? 'passed:' : 'failed:'}</span> {c.message}
                      {c.fix && (
                        <div className="notice small" style={{ whiteSpace: 'pre-wrap', marginTop: '.25rem' }}>
                          <strong>Fix: </strong>
                          {c.fix}
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="muted">Not checked yet. Once the records are published, check it.</p>
            )}
            {staffView ? null : <DomainActions id={d.id} domain={d.domain} />}
          </section>
        ))
      )}

      <section aria-labelledby="manual-heading">
        <h2 id="manual-heading">Test it by hand</h2>
        <p>First check that our MX host is listed and where the mail finally goes:</p>
        <CodeBlock text={manual.dnsCommands.join('\n')} label="Copy commands" />
        <p>
          Then send a trial message for {manual.domain} through {manual.mxHost} yourself. Type the lines on the left; the
          server should answer as on the right.
        </p>
        <SmtpConversation test={manual} />
      </section>
    </>
  );
}
