'use client';

import { useLive } from '@/app/_components/live-store';
import { NagiosText } from '@/app/_components/nagios-text';
import { RelativeTime } from '@/app/_components/relative-time';
import { StateBadge } from '@/app/_components/state-badge';
import { formatDuration } from '@/lib/monitoring/duration';
import { visibleText } from '@/lib/monitoring/visible-text';
import type { MonitoringState } from '@/lib/monitoring/wire';
import type { AvailabilityCell, AvailabilityRow, StateRow, TimelineRow } from '@/lib/vms/live-rows';

// The VM page's parts that change live: rendered from the compact rows the server worded
// (lib/vms/live-view.ts), with the stream's changes (live-store) in place of the rows they replace.

export function LiveWorst({ state }: { state: MonitoringState | null }) {
  const live = useLive();
  return <StateBadge state={live.worst === undefined ? state : live.worst} />;
}

function Technical({ t, stateType }: { t: NonNullable<TimelineRow[7]>; stateType: string }) {
  const [attempt, maxAttempts, output, longOutput, perfdata] = t;
  return (
    <div className="technical">
      <div>
        {stateType} · attempt {attempt} of {maxAttempts}
      </div>
      {output ? (
        <div>
          <span className="muted">Output:</span> <NagiosText text={output} />
        </div>
      ) : null}
      {longOutput ? (
        <pre>
          <NagiosText text={longOutput} multiline />
        </pre>
      ) : null}
      {perfdata ? (
        <div>
          <span className="muted">Perfdata:</span>{' '}
          <code>
            <NagiosText text={perfdata} />
          </code>
        </div>
      ) : null}
    </div>
  );
}

/** The timeline (newest first); with `live`, the stream's new events appear on top. */
export function LiveTimeline({ rows, detail, empty, live: isLive }: { rows: TimelineRow[]; detail: 'summary' | 'technical'; empty: string; live: boolean }) {
  const live = useLive();
  const shown = new Set(rows.map((r) => r[0]));
  const added = isLive ? live.rows.filter((r) => !shown.has(r[0])) : [];
  const all = added.length > 0 ? [...added, ...rows] : rows;
  if (all.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="timeline stack" data-detail={detail}>
        <caption className="visually-hidden">State changes, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Host or service</th>
            <th scope="col">State</th>
            <th scope="col">What happened</th>
          </tr>
        </thead>
        <tbody>
          {all.map(([id, at, when, service, state, stateType, sentence, technical]) => (
            <tr key={id} data-event-id={id}>
              <td data-label="When">
                <time dateTime={at}>{when}</time>
              </td>
              <td data-label="Host or service">{service === null ? 'Host' : <NagiosText text={service} />}</td>
              <td data-label="State">
                <StateBadge state={state} stateType={stateType} />
              </td>
              <td data-label="What happened">{technical ? <Technical t={technical} stateType={stateType} /> : <NagiosText text={sentence ?? ''} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The host and every service as they are now: the state and when it began, apart from when the last
 * check result came in (every result moves it), and the plugin output. Live changes replace their row.
 */
export function LiveStates({ rows, serverNow }: { rows: StateRow[]; serverNow: number }) {
  const live = useLive();
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
          {rows.map((shown) => {
            const [service, state, stateType, attempt, maxAttempts, since, sinceText, lastCheck, lastCheckText, output] = live.states.get(shown[0] ?? '') ?? shown;
            return (
              <tr key={service ?? ''}>
                <th scope="row">{service === null ? 'Host' : <NagiosText text={service} />}</th>
                <td data-label="State">
                  <StateBadge state={state} stateType={stateType} />
                  {stateType === 'SOFT' ? (
                    <div className="muted small">
                      Not confirmed yet: checking again ({attempt} of {maxAttempts} checks)
                    </div>
                  ) : null}
                </td>
                <td data-label="In this state since" data-since={since}>
                  <time dateTime={since}>{sinceText}</time>
                  <div className="muted small">for {formatDuration((serverNow - Date.parse(since)) / 1000)}</div>
                </td>
                <td data-label="Last check result" data-last-check={lastCheck}>
                  <time dateTime={lastCheck}>{lastCheckText}</time> <RelativeTime at={lastCheck} serverNow={serverNow} />
                </td>
                <td className="output" data-label="Output">
                  {output ? <NagiosText text={output} /> : <span className="muted">–</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ cell: [slaPct, upOfWindow, up, entries], label }: { cell: AvailabilityCell; label: string }) {
  return (
    <td data-label={label} data-up={slaPct ?? ''} data-up-of-window={upOfWindow ?? ''}>
      {up === null ? (
        <strong>No figure</strong>
      ) : (
        <>
          <strong>{up}</strong> available
        </>
      )}
      <ul className="breakdown small">
        {entries.map(([key, text, leftOut]) => (
          <li key={key} data-state={key} className={leftOut ? 'muted' : undefined}>
            {text}
          </li>
        ))}
      </ul>
    </td>
  );
}

/** Availability per host and service, one column per period; live changes replace the standard periods' cells. */
export function LiveAvailability({ labels, rows }: { labels: string[]; rows: AvailabilityRow[] }) {
  const live = useLive();
  return (
    <div className="table-wrap">
      <table className="availability stack" aria-describedby="sla-definition">
        <caption className="visually-hidden">Availability per host and service, with the time spent in each state</caption>
        <thead>
          <tr>
            <th scope="col">Host or service</th>
            {labels.map((l) => (
              <th scope="col" key={l}>
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([service, cells]) => {
            const changed = live.availability.get(service ?? '');
            return (
              <tr key={service ?? ''}>
                <th scope="row">{service === null ? 'Host' : <NagiosText text={service} />}</th>
                {cells.map((c, i) => (
                  <Cell key={labels[i] ?? i} cell={changed?.[1][i] ?? c} label={labels[i] ?? ''} />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A filter over a list of names from Nagios (shown with their control characters made visible); a client
 * component only so that a VM's hundreds of service names travel as one array, not as an element each.
 */
export function ChoiceFilter({ label, name, value, any, choices }: { label: string; name: string; value: string; any: string; choices: readonly string[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        <option value="">{any}</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {visibleText(c)}
          </option>
        ))}
      </select>
    </label>
  );
}
