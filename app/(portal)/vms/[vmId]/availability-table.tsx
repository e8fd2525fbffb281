import type { Availability } from '@/lib/monitoring/availability';
import type { MonitoringState } from '@/lib/monitoring/wire';
import { compareStates, isUpState } from '@/lib/monitoring/severity';
import type { SubjectAvailability } from '@/lib/vms/availability';
import { formatDuration } from '@/lib/monitoring/duration';
import { formatSharePercent, formatUpPercent } from '@/lib/vms/format';
import type { AvailabilityWindow } from '@/lib/vms/page-data';
import { NagiosText } from '@/app/_components/nagios-text';

function Cell({ a, label }: { a: Availability; label: string }) {
  const problems = (Object.entries(a.states) as Array<[MonitoringState, { ms: number; pctOfWindow: number | null }]>)
    .filter(([state, t]) => !isUpState(state) && t.ms > 0)
    .sort(([x], [y]) => compareStates(y, x));
  return (
    <td data-label={label} data-up={a.availabilityPctOfWindow ?? ''}>
      <strong>{formatUpPercent(a.availabilityPctOfWindow)}</strong> up
      {problems.map(([state, t]) => (
        <div key={state} className="small">
          {state} {formatDuration(t.ms / 1000)} ({formatSharePercent(t.pctOfWindow)})
        </div>
      ))}
      {a.noDataMs > 0 ? <div className="small muted">no data {formatDuration(a.noDataMs / 1000)} ({formatSharePercent(a.noDataPct)})</div> : null}
    </td>
  );
}

/** Availability per host and service, one column per period. */
export function AvailabilityTable({ windows, rows }: { windows: AvailabilityWindow[]; rows: SubjectAvailability[] }) {
  return (
    <div className="table-wrap">
      <table className="availability stack">
        <caption className="visually-hidden">Availability per host and service</caption>
        <thead>
          <tr>
            <th scope="col">Host or service</th>
            {windows.map((w) => (
              <th scope="col" key={w.key}>
                {w.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.service ?? ''}>
              <th scope="row">{r.service === null ? 'Host' : <NagiosText text={r.service} />}</th>
              {r.windows.map((a, i) => (
                <Cell key={windows[i]?.key ?? i} a={a} label={windows[i]?.label ?? ''} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
