import type { Metadata } from 'next';
import { CodeBlock } from '@/app/_components/guide-steps';
import { LocalTime } from '@/app/_components/local-time';
import { SmtpConversation } from '@/app/_components/smtp-conversation';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAllMailDomains } from '@/lib/db/queries/mail-domains';
import { latestRelayChecks, relayCheckHistory } from '@/lib/db/queries/mx-relay';
import { OpenRelayBanner } from '@/app/_components/open-relay-banner';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { postfixSettings } from '@/lib/guides/mx-backup';
import { mxBackupInput } from '@/lib/guides/settings';
import { RelayCheckForm } from './relay-check-form';
import { RelayCheckCard, RelayHistory } from './relay-results';

export const metadata: Metadata = { title: 'MX backup' };

export default async function AdminMxPage() {
  await requireStaff();
  const db = getDb();
  const [{ values: settings }, domains, latest, history] = await Promise.all([
    loadGuideSettings(db),
    listAllMailDomains(db),
    latestRelayChecks(db),
    relayCheckHistory(db, { limit: 30 }),
  ]);
  const unique = [...new Set(domains.map((d) => d.domain))];
  const postfix = postfixSettings(mxBackupInput(settings), unique);
  const configured = new Set(postfix.hosts.map((h) => h.host));
  // Hosts no longer in the settings keep their history but not a card.
  const current = latest.filter((c) => configured.has(c.mxHost));
  return (
    <>
      <OpenRelayBanner checks={current.filter((c) => c.openRelay)} link={false} />
      <h1>MX backup service</h1>
      <p className="muted">
        Postfix settings for our backup MX hosts, from the MX hosts and networks under Settings. Postfix decides per
        message from DNS (permit_mx_backup), so customer domains need no entry in main.cf.
      </p>
      {postfix.hosts.map((h) => (
        <section key={h.host} aria-labelledby={`host-${h.host}`}>
          <h2 id={`host-${h.host}`}>{h.host}</h2>
          <CodeBlock text={h.mainCf} label={`Copy main.cf for ${h.host}`} caption="/etc/postfix/main.cf" />
        </section>
      ))}
      <ul>
        {postfix.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>

      <section aria-labelledby="relay-check">
        <h2 id="relay-check">Relay check</h2>
        <p className="muted">
          Proves each MX host behaves: an SMTP conversation that stops at RCPT TO (nothing is ever sent) must be accepted
          for a customer domain that lists the host and whose primary MX is inside permit_mx_backup_networks, and refused
          for a domain that does not list it and for one whose primary is outside the networks. It also runs on a
          schedule (RELAY_CHECK_INTERVAL_MINUTES).
        </p>
        <RelayCheckForm />
        {current.length === 0 ? (
          <p className="panel">No relay check has run yet.</p>
        ) : (
          current.map((c) => <RelayCheckCard key={c.id} check={c} />)
        )}
        {history.length > 0 && (
          <details>
            <summary>Earlier checks</summary>
            <RelayHistory checks={history} />
          </details>
        )}
      </section>

      <h2>Test by hand</h2>
      {postfix.smtpTests.length === 0 ? (
        <p className="muted">Once a customer adds a mail domain, a manual SMTP test for each domain and MX host appears here.</p>
      ) : (
        postfix.smtpTests.map((t) => (
          <details key={`${t.domain} ${t.mxHost}`}>
            <summary>
              {t.domain} via {t.mxHost}
            </summary>
            <CodeBlock text={t.dnsCommands.join('\n')} label={`Copy DNS checks for ${t.domain}`} />
            <SmtpConversation test={t} />
          </details>
        ))
      )}

      <h2>Customer domains</h2>
      {domains.length === 0 ? (
        <p className="panel">No customer has added a mail domain yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Customers&apos; mail domains and their latest check</caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Account</th>
                <th scope="col">Latest check</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              {domains.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.domain}</th>
                  <td>{d.accountName}</td>
                  <td>
                    {d.latestCheck ? (
                      <>
                        <span className={`state ${d.latestCheck.ok ? 'state-OK' : 'state-CRITICAL'}`}>{d.latestCheck.ok ? 'OK' : 'PROBLEMS'}</span>{' '}
                        <LocalTime at={d.latestCheck.checkedAt} />
                      </>
                    ) : (
                      'Never checked'
                    )}
                  </td>
                  <td className="small">{d.latestCheck?.checks.filter((c) => !c.ok).map((c) => c.message).join(' ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
