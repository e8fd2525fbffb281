import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { StateBadge } from '@/app/_components/state-badge';
import { ALL_STATES } from '@/lib/vms/params';
import type { VmEvent } from '@/lib/db/queries/vm-events';
import { eventSentence, previousStates } from '@/lib/vms/history';
import { toLocalInputValue } from '@/lib/vms/time-zone';
import { HISTORY_KEYS, type SearchParams, first, hrefWith, keep } from './search-params';
import { visibleText } from '@/lib/monitoring/visible-text';
import { NagiosText } from '@/app/_components/nagios-text';

function Technical({ e }: { e: VmEvent }) {
  return (
    <div className="technical">
      <div>
        {e.stateType} · attempt {e.attempt} of {e.maxAttempts}
      </div>
      {e.output ? (
        <div>
          <span className="muted">Output:</span> <NagiosText text={e.output} />
        </div>
      ) : null}
      {e.longOutput ? <pre><NagiosText text={e.longOutput} multiline /></pre> : null}
      {e.perfdata ? (
        <div>
          <span className="muted">Perfdata:</span> <code><NagiosText text={e.perfdata} /></code>
        </div>
      ) : null}
    </div>
  );
}

export function TimelineFilters({
  pathname,
  params,
  services,
  timeZone,
  filterFrom,
  filterTo,
}: {
  pathname: string;
  params: SearchParams;
  services: string[];
  timeZone: string;
  filterFrom?: Date;
  filterTo?: Date;
}) {
  return (
    <form method="get" action={pathname} className="filters" aria-label="Filter the history">
      {keep(params, HISTORY_KEYS).map(([k, v], i) => (
        <input key={`${k}${i}`} type="hidden" name={k} value={v} />
      ))}
      <label>
        Host or services
        <select name="kind" defaultValue={first(params, 'kind')}>
          <option value="">Host and services</option>
          <option value="host">Host only</option>
          <option value="service">Services only</option>
        </select>
      </label>
      <ChoiceFilter label="Service" name="service" value={first(params, 'service')} any="All services" choices={services} />
      <ChoiceFilter label="State" name="state" value={first(params, 'state').toUpperCase()} any="Any state" choices={ALL_STATES} />
      <label>
        Confirmed?
        <select name="type" defaultValue={first(params, 'type').toUpperCase()}>
          <option value="">Confirmed and unconfirmed</option>
          <option value="HARD">Confirmed only</option>
          <option value="SOFT">Unconfirmed only (being checked again)</option>
        </select>
      </label>
      <label>
        From
        <input type="datetime-local" name="from" defaultValue={filterFrom ? toLocalInputValue(filterFrom, timeZone) : first(params, 'from')} />
      </label>
      <label>
        Until
        <input type="datetime-local" name="to" defaultValue={filterTo ? toLocalInputValue(filterTo, timeZone) : first(params, 'to')} />
      </label>
      <div className="form-actions">
        <button type="submit">Show events</button>
        <Link href={hrefWith(pathname, params, Object.fromEntries(HISTORY_KEYS.map((k) => [k, undefined])))}>Clear filters</Link>
      </div>
    </form>
  );
}

export function Timeline({
  events,
  hostname,
  detail,
  filtered,
}: {
  events: VmEvent[];
  hostname: string;
  detail: 'summary' | 'technical';
  filtered: boolean;
}) {
  if (events.length === 0) {
    return <p className="muted">{filtered ? 'No events match these filters.' : 'No state changes recorded for this VM yet.'}</p>;
  }
  const previous = previousStates(events);
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
          {events.map((e, i) => (
            <tr key={e.id} data-event-id={e.id}>
              <td data-label="When">
                <LocalTime at={e.occurredAt} />
              </td>
              <td data-label="Host or service">{e.service === null ? 'Host' : <NagiosText text={e.service} />}</td>
              <td data-label="State">
                <StateBadge state={e.state} stateType={e.stateType} />
              </td>
              <td data-label="What happened">{detail === 'technical' ? <Technical e={e} /> : <NagiosText text={eventSentence(e, hostname, previous[i])} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A filter over a list of names from Nagios (shown with their control characters made visible). */
function ChoiceFilter({ label, name, value, any, choices }: { label: string; name: string; value: string; any: string; choices: readonly string[] }) {
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
