import Link from 'next/link';
import { ALL_STATES } from '@/lib/vms/params';
import type { VmEvent } from '@/lib/db/queries/vm-events';
import { previousStates } from '@/lib/vms/history';
import { timelineRow } from '@/lib/vms/live-view';
import { ChoiceFilter, LiveTimeline } from './live-parts';
import { toLocalInputValue } from '@/lib/vms/time-zone';
import { HISTORY_KEYS, type SearchParams, first, hrefWith, keep } from './search-params';

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

/**
 * The VM's state changes, newest first, worded for the viewer (lib/vms/live-view.ts) and drawn by
 * LiveTimeline; on the newest page without filters (`live`), new events from the stream appear on top.
 */
export function Timeline({
  events,
  hostname,
  detail,
  filtered,
  timeZone,
  live,
}: {
  events: VmEvent[];
  hostname: string;
  detail: 'summary' | 'technical';
  filtered: boolean;
  timeZone: string;
  live: boolean;
}) {
  const previous = previousStates(events);
  const rows = events.map((e, i) => timelineRow(e, previous[i], { timeZone, detail, hostname }));
  return <LiveTimeline rows={rows} detail={detail} live={live} empty={filtered ? 'No events match these filters.' : 'No state changes recorded for this VM yet.'} />;
}
