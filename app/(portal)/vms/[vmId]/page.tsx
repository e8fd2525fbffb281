import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveEvents } from '@/app/_components/live-events';
import { LocalTime } from '@/app/_components/local-time';
import { ReleaseBadge } from '@/app/_components/release-badge';
import { StateBadge } from '@/app/_components/state-badge';
import { TimeZoneSync } from '@/app/_components/time-zone-sync';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireVmView } from '@/lib/vms/page-viewer';
import { getDb } from '@/lib/db';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { vmSupportStatus } from '@/lib/guides/vm-support';
import { vmPageForVm, worstAvailabilityFirst } from '@/lib/vms/page-data';
import {
  type HistoryParams,
  HISTORY_PAGE_SIZE,
  LIST_LIMIT,
  CHART_RANGES,
  fromRecord,
  parseChartRange,
  parseHistoryParams,
  parsePageAvailabilityParams,
  parseServicesView,
} from '@/lib/vms/params';
import { TIME_ZONE_COOKIE, describeTimeZone, toLocalInputValue } from '@/lib/vms/time-zone';
import { displayTimeZone } from '@/lib/vms/display-zone';
import { AvailabilityTable } from './availability-table';
import { type ChartForecasts, ChartRangeLinks, Charts } from './charts';
import { UsageAttention } from '@/app/_components/usage-attention';
import { diskProjection } from '@/lib/plans/vm-forecast';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';
import { CurrentStates } from './current-states';
import { DetailLevelForm } from './detail-level-form';
import { EndMaintenanceButton, MaintenanceForm } from './maintenance';
import { vmMaintenance } from '@/lib/db/queries/maintenance';
import { AVAILABILITY_KEYS, type SearchParams, first, hrefWith, keep } from './search-params';
import { Timeline, TimelineFilters } from './timeline';
import { LiveWorst } from './live-parts';
import { visibleText } from '@/lib/monitoring/visible-text';
import { NagiosText } from '@/app/_components/nagios-text';
import { NextSteps } from '@/app/_components/next-steps';
import { NO_DATA_STEP, nextSteps } from '@/lib/monitoring/next-step';
import { chartsHeading } from '@/lib/charts/series-words';

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { vm } = await requireVmView((await params).vmId);
  return { title: visibleText(vm.hostname) };
}

const DEFAULT_HISTORY: HistoryParams = { cursor: null, limit: HISTORY_PAGE_SIZE, states: [] };

const isFiltered = (p: HistoryParams) =>
  p.kind !== undefined || p.service !== undefined || p.states.length > 0 || p.stateType !== undefined || p.from !== undefined || p.to !== undefined;

export default async function VmPage({ params, searchParams }: Props) {
  const { vm, user, staffView, accountName } = await requireVmView((await params).vmId, 'vm');
  const db = getDb();
  // Staff read the technical detail; a customer, the level they chose.
  const detailLevel = staffView ? 'technical' : user.detailLevel;

  const sp = await searchParams;
  // The one zone of every time on the page: text, chart axes and date inputs.
  const timeZone = await displayTimeZone();
  const now = new Date();
  const input = fromRecord(sp);
  // A bad parameter shows its message; its section falls back to the default view, nothing else changes.
  const errors: string[] = [];
  const history = parseHistoryParams(input, timeZone);
  const availability = parsePageAvailabilityParams(input, timeZone, now);
  const chart = parseChartRange(input);
  const view = parseServicesView(input);
  for (const r of [history, availability, chart, view]) if (!r.ok) errors.push(r.error);
  const showAll = view.ok && view.value === 'all';
  const historyParams = history.ok ? history.value : DEFAULT_HISTORY;
  const availabilityParams = availability.ok ? availability.value : { custom: null, hardOnly: true };
  const chartRange = chart.ok ? chart.value : '7d';

  const [data, releases, maintenance, plans] = await Promise.all([
    vmPageForVm(db, vm, { now, history: historyParams, hardOnly: availabilityParams.hardOnly, custom: availabilityParams.custom, chartRange }),
    loadReleaseTable(db),
    vmMaintenance(db, vm, now),
    vmPlanOutlook(db, vm, now),
  ]);
  const chartForecasts: ChartForecasts = new Map(
    plans.forecast.disks.map((d) => [`${d.service}\u0000${d.mount}`, { capacity: d.outlook.capacity, projection: diskProjection(d.outlook, CHART_RANGES[chartRange]) }]),
  );
  const activeWindow = maintenance.current.find((w) => w.startsAt <= now);
  const pathname = `/vms/${vm.id}`;
  const host = data.states.find((s) => s.service === null);
  const lastCheck = data.states.reduce<Date | null>((latest, s) => (!latest || s.lastCheckAt > latest ? s.lastCheckAt : latest), null);
  const filtered = history.ok && isFiltered(historyParams);
  const custom = availabilityParams.custom;
  // A VM with hundreds of services lists the worst ones; the rest are one link away.
  const serviceCount = data.states.filter((st) => st.service !== null).length;
  const states = showAll ? data.states : data.states.slice(0, LIST_LIMIT + 1);
  // Every problem in plain words with what to do and how to reach support (no extra query but one settings read).
  const steps = data.states.length === 0 ? [NO_DATA_STEP] : nextSteps(data.states);
  const availabilityRows = worstAvailabilityFirst(data.availability.rows, data.availability.sla);
  const shownAvailability = showAll ? availabilityRows : availabilityRows.slice(0, LIST_LIMIT + 1);
  const listToggle = (shown: number, total: number, anchor: string) =>
    total > LIST_LIMIT ? (
      <p className="muted small">
        {showAll ? `All ${total} services.` : `The ${shown} worst of ${total} services.`}{' '}
        <Link href={`${hrefWith(pathname, sp, { services: showAll ? undefined : 'all' })}#${anchor}`}>{showAll ? `Show the worst ${LIST_LIMIT}` : `Show all ${total}`}</Link>
      </p>
    ) : null;

  return (
    <>
      <TimeZoneSync cookie={TIME_ZONE_COOKIE} />
      <p className="breadcrumb">
        <Link href="/">My VMs</Link> / <NagiosText text={vm.hostname} />
      </p>
      <div className="title-row">
        <h1>
          <NagiosText text={vm.hostname} />
        </h1>
        <LiveWorst state={data.worst} />
      </div>
      <LiveEvents url={`/api/v1/vms/${vm.id}/stream?after=${data.liveAfterId}&view=page${availabilityParams.hardOnly ? '' : '&soft=1'}`} />

      {errors.length > 0 ? (
        <div className="error" role="alert">
          <p>Some settings in the address could not be used, so the default view is shown for them:</p>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {staffView ? <StaffViewBanner hostname={vm.hostname} accountName={accountName} /> : null}
      {staffView ? null : <UsageAttention vmId={vm.id} attention={plans.forecast.attention} recommended={plans.recommended} />}
      <NextSteps steps={steps} hostname={vm.hostname} />
      <div className="panel">
        <dl className="facts">
          <dt>Worst state now</dt>
          <dd>
            <LiveWorst state={data.worst} />
          </dd>
          <dt>Host</dt>
          <dd>
            <StateBadge state={host?.state ?? null} stateType={host?.stateType} />
          </dd>
          <dt>Last check result</dt>
          <dd data-testid="last-check">{lastCheck ? <LocalTime at={lastCheck} now={now} /> : 'No data yet'}</dd>
          <dt>Host in this state since</dt>
          <dd data-testid="state-since">{host ? <LocalTime at={host.since} now={now} /> : 'No data yet'}</dd>
          <dt>Address</dt>
          <dd>
            {vm.address}
            {vm.addressV6 ? `, ${vm.addressV6}` : ''}
          </dd>
          <dt>Ubuntu</dt>
          <dd>
            {vm.ubuntuRelease} <ReleaseBadge support={vmSupportStatus(releases.releases, vm.ubuntuRelease, now)} />{' '}
            <Link href={`/vms/${vm.id}/packages`}>Packages and release support</Link> · <Link href={`/vms/${vm.id}/firewall`}>Monitoring firewall</Link>
          </dd>
          <dt>Plan</dt>
          <dd>
            {vm.planName} <Link href={`/vms/${vm.id}/plan`}>Usage, forecast and plans</Link>
          </dd>
          <dt>Alerts</dt>
          <dd>
            {activeWindow ? (
              <>
                Paused for maintenance until <LocalTime at={activeWindow.endsAt} />. <Link href="#maintenance">Change</Link>
              </>
            ) : (
              <>
                On. <Link href="/alerts">Your alert rules</Link> · <Link href="#maintenance">Pause for maintenance</Link>
              </>
            )}
          </dd>
        </dl>
      </div>

      <section aria-labelledby="now-heading" id="now">
        <h2 id="now-heading">Current state</h2>
        <CurrentStates states={states} now={now} timeZone={timeZone} />
        {listToggle(states.filter((st) => st.service !== null).length, serviceCount, 'now')}
      </section>

      <section aria-labelledby="availability-heading" id="availability">
        <h2 id="availability-heading">Availability</h2>
        <p className="muted small">
          For each period: the share of the time the host or service was available, and how long it spent in each state, from{' '}
          {availabilityParams.hardOnly ? 'confirmed' : 'all (also unconfirmed)'} state changes. How the figure is counted is explained below the table.
        </p>
        <form method="get" action={`${pathname}#availability`} className="filters" aria-label="Availability period">
          {keep(sp, AVAILABILITY_KEYS).map(([k, v], i) => (
            <input key={`${k}${i}`} type="hidden" name={k} value={v} />
          ))}
          <label>
            Also from
            <input type="datetime-local" name="afrom" defaultValue={custom ? toLocalInputValue(custom.from, timeZone) : first(sp, 'afrom')} />
          </label>
          <label>
            until
            <input type="datetime-local" name="ato" defaultValue={custom && first(sp, 'ato') ? toLocalInputValue(custom.to, timeZone) : first(sp, 'ato')} />
          </label>
          <label className="choice">
            <input type="checkbox" name="soft" value="1" defaultChecked={!availabilityParams.hardOnly} />
            Count unconfirmed problems too (ones still being checked again)
          </label>
          <div className="form-actions">
            <button type="submit">Show availability</button>
            {custom || !availabilityParams.hardOnly ? (
              <Link href={`${hrefWith(pathname, sp, { afrom: undefined, ato: undefined, soft: undefined })}#availability`}>Standard periods</Link>
            ) : null}
          </div>
        </form>
        <AvailabilityTable windows={data.availability.windows} rows={shownAvailability} sla={data.availability.sla} />
        {listToggle(shownAvailability.filter((r) => r.service !== null).length, availabilityRows.filter((r) => r.service !== null).length, 'availability')}
        {custom ? (
          <p className="muted small">
            Chosen range: <LocalTime at={custom.from} /> to <LocalTime at={custom.to} />.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="charts-heading" id="charts">
        <h2 id="charts-heading">{chartsHeading([...data.charts, ...data.moreSeries])}</h2>
        <ChartRangeLinks pathname={pathname} params={sp} current={chartRange} />
        <p className="muted small">Chart times are in {describeTimeZone(timeZone, now)}.</p>
        <Charts charts={data.charts} more={data.moreSeries} timeZone={timeZone} vmId={vm.id} forecasts={chartForecasts} />
      </section>

      <section aria-labelledby="history-heading" id="history">
        <h2 id="history-heading">History</h2>
        {staffView ? null : <DetailLevelForm current={user.detailLevel} />}
        <TimelineFilters
          pathname={pathname}
          params={sp}
          services={data.services}
          timeZone={timeZone}
          {...(historyParams.from ? { filterFrom: historyParams.from } : {})}
          {...(historyParams.to ? { filterTo: historyParams.to } : {})}
        />
        <Timeline events={data.history.events} hostname={vm.hostname} detail={detailLevel} filtered={filtered} timeZone={timeZone} live={!filtered && !historyParams.cursor} />
        <nav aria-label="History pages" className="pager">
          {historyParams.cursor ? <Link href={`${hrefWith(pathname, sp, { cursor: undefined })}#history`}>Newest events</Link> : null}
          {data.history.nextCursor ? <Link href={`${hrefWith(pathname, sp, { cursor: data.history.nextCursor })}#history`}>Older events</Link> : null}
        </nav>
      </section>

      <section aria-labelledby="maintenance-heading" id="maintenance">
        <h2 id="maintenance-heading">Maintenance</h2>
        <p className="muted small">
          While a maintenance window lasts, no alert about this VM is sent to you; your delivery log lists what was held back. Monitoring and history go on as usual.
        </p>
        {maintenance.current.length > 0 ? (
          <table>
            <caption className="visually-hidden">Planned and current maintenance windows</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Reason</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {maintenance.current.map((w) => (
                <tr key={w.id}>
                  <td>{w.startsAt <= now ? 'Now' : <LocalTime at={w.startsAt} />}</td>
                  <td>
                    <LocalTime at={w.endsAt} />
                  </td>
                  <td>{w.reason ?? '—'}</td>
                  <td>
                    {staffView ? null : <EndMaintenanceButton vmId={vm.id} windowId={w.id} label={w.startsAt <= now ? 'End now' : 'Remove'} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No maintenance is planned.</p>
        )}
        {staffView ? null : <MaintenanceForm vmId={vm.id} timeZoneLabel={describeTimeZone(timeZone, now)} />}
      </section>
    </>
  );
}
