import { LocalTime } from '@/app/_components/local-time';
import type { StoredRelayCheck } from '@/lib/db/queries/mx-relay';
import { PROBE_LABELS, type ProbeResult, type RelayStatus, STATUS_LABELS } from '@/lib/net/relay-check';

const STATUS_CLASS: Record<RelayStatus, string> = {
  pass: 'state-OK',
  'open-relay': 'state-CRITICAL',
  misconfigured: 'state-CRITICAL',
  error: 'state-WARNING',
  incomplete: 'state-WARNING',
};

export function RelayStatusBadge({ status }: { status: RelayStatus }) {
  return <span className={`state ${STATUS_CLASS[status]}`}>{STATUS_LABELS[status]}</span>;
}

/** Every line of one probe's conversation, as it went over the wire. */
function Transcript({ probe }: { probe: ProbeResult }) {
  if (probe.transcript.length === 0) return null;
  return (
    <pre className="small" aria-label={`Conversation for ${probe.domain ?? probe.kind}`}>
      {probe.transcript.map((l) => (l.from === 'client' ? `> ${l.text}` : l.from === 'server' ? `< ${l.text}` : `# ${l.text}`)).join('\n')}
    </pre>
  );
}

const OUTCOME_WORDS: Record<ProbeResult['outcome'], string> = {
  'as-expected': 'as required',
  'open-relay': 'OPEN RELAY',
  'wrongly-refused': 'wrongly refused',
  inconclusive: 'no answer',
  skipped: 'not tested',
};

/** The newest check of one host: verdict, each probe with the server's RCPT answer, and the transcripts. */
export function RelayCheckCard({ check }: { check: StoredRelayCheck }) {
  const r = check.result;
  return (
    <section aria-label={`Relay check of ${check.mxHost}`} className="panel">
      <h3>
        {check.mxHost} {r ? <RelayStatusBadge status={r.status} /> : null}
      </h3>
      <p className="small muted">
        Checked <LocalTime at={check.checkedAt} /> by {check.triggeredBy}
        {r?.address ? ` at ${r.address} port ${r.port}` : ''}.
      </p>
      {r ? (
        <>
          <p>{r.summary}</p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">The probes sent to this host and the server&apos;s replies</caption>
              <thead>
                <tr>
                  <th scope="col">Probe</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Result</th>
                  <th scope="col">Server&apos;s reply to RCPT TO</th>
                </tr>
              </thead>
              <tbody>
                {r.probes.map((p) => (
                  <tr key={p.kind}>
                    <th scope="row">{PROBE_LABELS[p.kind]}</th>
                    <td>{p.recipient ? <code>{p.recipient}</code> : '—'}</td>
                    <td className={p.outcome === 'as-expected' ? 'state-OK' : p.outcome === 'skipped' || p.outcome === 'inconclusive' ? 'state-WARNING' : 'state-CRITICAL'}>
                      {OUTCOME_WORDS[p.outcome]}
                    </td>
                    <td>{p.rcpt ? <code>{p.rcpt.lines.map((l) => `${p.rcpt!.code} ${l}`).join('\n')}</code> : <span className="small">{p.summary}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.probes
            .filter((p) => p.transcript.length > 0)
            .map((p) => (
              <details key={p.kind} open={p.outcome === 'open-relay' || p.outcome === 'wrongly-refused'}>
                <summary>
                  Conversation: {p.domain} ({p.summary})
                </summary>
                <Transcript probe={p} />
              </details>
            ))}
          {r.notes.length > 0 && (
            <ul className="small muted">
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="muted">This result was stored in a format this version does not read.</p>
      )}
    </section>
  );
}

export function RelayHistory({ checks }: { checks: readonly StoredRelayCheck[] }) {
  if (checks.length === 0) return null;
  return (
    <div className="table-wrap">
      <table aria-label="Relay check history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">MX host</th>
            <th scope="col">Result</th>
            <th scope="col">Run by</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.id}>
              <td>
                <LocalTime at={c.checkedAt} />
              </td>
              <th scope="row">{c.mxHost}</th>
              <td>{c.result ? <RelayStatusBadge status={c.result.status} /> : c.openRelay ? 'OPEN RELAY' : c.ok ? 'PASS' : 'FAILED'}</td>
              <td>{c.triggeredBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
