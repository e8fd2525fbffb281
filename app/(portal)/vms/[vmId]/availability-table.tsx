import type { Availability } from '@/lib/monitoring/availability';
import { type BreakdownEntry, type SlaDefinition, describeSlaDefinition, slaBreakdown } from '@/lib/monitoring/sla';
import type { SubjectAvailability } from '@/lib/vms/availability';
import { formatDuration } from '@/lib/monitoring/duration';
import { formatSharePercent, formatUpPercent } from '@/lib/vms/format';
import type { AvailabilityWindow } from '@/lib/vms/page-data';
import { NagiosText } from '@/app/_components/nagios-text';

/** How a state counted, in words; nothing for plain up and down time. */
function countsNote(e: BreakdownEntry): string {
  if (e.counts === 'left-out') return ', not counted';
  if (e.key === 'WARNING') return e.counts === 'up' ? ', degraded, counted as available' : ', counted as down';
  if ((e.key === 'UNKNOWN' || e.key === 'UNREACHABLE') && e.counts === 'down') return ', counted as down';
  return '';
}

function Cell({ a, label, kind, sla }: { a: Availability; label: string; kind: 'host' | 'service'; sla: SlaDefinition }) {
  const b = slaBreakdown(a, kind, sla);
  // Only what happened: a zero line per state on every row would bury the one that matters.
  const shown = b.entries.filter((e) => e.ms > 0);
  return (
    <td data-label={label} data-up={b.slaPct ?? ''} data-up-of-window={a.availabilityPctOfWindow ?? ''}>
      {b.slaPct === null ? (
        <strong>No figure</strong>
      ) : (
        <>
          <strong>{formatUpPercent(b.slaPct)}</strong> available
        </>
      )}
      <ul className="breakdown small">
        {shown.map((e) => (
          <li key={e.key} data-state={e.key} className={e.counts === 'left-out' ? 'muted' : undefined}>
            {e.label} {formatDuration(e.ms / 1000)} ({formatSharePercent(e.pctOfWindow)}){countsNote(e)}
          </li>
        ))}
      </ul>
    </td>
  );
}

/** Availability per host and service, one column per period, with the definition of the figure. */
export function AvailabilityTable({ windows, rows, sla }: { windows: AvailabilityWindow[]; rows: SubjectAvailability[]; sla: SlaDefinition }) {
  return (
    <>
      <div className="table-wrap">
        <table className="availability stack" aria-describedby="sla-definition">
          <caption className="visually-hidden">Availability per host and service, with the time spent in each state</caption>
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
                  <Cell key={windows[i]?.key ?? i} a={a} label={windows[i]?.label ?? ''} kind={r.service === null ? 'host' : 'service'} sla={sla} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small" id="sla-definition" data-testid="sla-definition">
        {describeSlaDefinition(sla)}
      </p>
    </>
  );
}
