import { LocalTime } from '@/app/_components/local-time';
import { StateBadge } from '@/app/_components/state-badge';
import { formatDuration } from '@/lib/monitoring/duration';
import type { ServiceStateDetail } from '@/lib/db/queries/vms';
import { NagiosText } from '@/app/_components/nagios-text';

/**
 * The host and every service as they are now: the state and when it began (service_states.state_since),
 * apart from when the last check result came in (last_check_at: every result, also unchanged ones, moves
 * it), and the plugin output.
 */
export function CurrentStates({ states, now }: { states: ServiceStateDetail[]; now: Date }) {
  if (states.length === 0) {
    return <p className="muted">No check has reported on this VM yet. States appear here with the first result from monitoring.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="states stack">
        <caption className="visually-hidden">Current state of the host and its services</caption>
        <thead>
          <tr>
            <th scope="col">Host or service</th>
            <th scope="col">State</th>
            <th scope="col">In this state since</th>
            <th scope="col">Last check result</th>
            <th scope="col">Output</th>
          </tr>
        </thead>
        <tbody>
          {states.map((s) => (
            <tr key={s.service ?? ''}>
              <th scope="row">{s.service === null ? 'Host' : <NagiosText text={s.service} />}</th>
              <td data-label="State">
                <StateBadge state={s.state} stateType={s.stateType} />
                {s.stateType === 'SOFT' ? (
                  <div className="muted small">
                    Not confirmed yet: checking again ({s.attempt} of {s.maxAttempts} checks)
                  </div>
                ) : null}
              </td>
              <td data-label="In this state since" data-since={s.since.toISOString()}>
                <LocalTime at={s.since} />
                <div className="muted small">for {formatDuration((now.getTime() - s.since.getTime()) / 1000)}</div>
              </td>
              <td data-label="Last check result" data-last-check={s.lastCheckAt.toISOString()}>
                <LocalTime at={s.lastCheckAt} now={now} />
              </td>
              <td className="output" data-label="Output">{s.output ? <NagiosText text={s.output} /> : <span className="muted">–</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
