'use client';

import { NagiosText } from '@/app/_components/nagios-text';
import { RelativeTime } from '@/app/_components/relative-time';
import { ReleaseBadge } from '@/app/_components/release-badge';
import { StateBadge } from '@/app/_components/state-badge';
import type { DashboardRow, ReleaseSupport } from '@/lib/vms/dashboard-rows';

/**
 * The dashboard's list of VMs, worst first, from the compact rows lib/vms/dashboard-rows.ts words on the
 * server. Plain links: a Link per cell was most of a long list's render, and a click loads the VM's
 * page, which is rendered per request anyway.
 */
export function VmTable({ rows, supports, serverNow }: { rows: DashboardRow[]; supports: ReleaseSupport[]; serverNow: number }) {
  return (
    <div className="table-wrap">
      <table className="stack">
        <caption className="visually-hidden">Your virtual machines and their current state, the worst first</caption>
        <thead>
          <tr>
            <th scope="col">VM</th>
            <th scope="col">Worst state</th>
            <th scope="col">Host</th>
            <th scope="col">Open problems</th>
            <th scope="col">Last check result</th>
            <th scope="col">Ubuntu</th>
            <th scope="col">Plan</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, hostname, address, worst, hostState, problems, lastCheck, release, support, plan, forecast]) => (
            <tr key={id}>
              <td>
                <a href={`/vms/${id}`}>
                  <NagiosText text={hostname} />
                </a>
                <div className="muted">{address}</div>
              </td>
              <td data-label="Worst state">
                <StateBadge state={worst} />
              </td>
              <td data-label="Host">
                <StateBadge state={hostState} />
              </td>
              <td data-label="Open problems">
                {problems.length === 0
                  ? 'None'
                  : problems.map(([service, state, stateType]) => (
                      <div key={service}>
                        <StateBadge state={state} stateType={stateType} /> <NagiosText text={service} />
                      </div>
                    ))}
              </td>
              <td data-label="Last check result">
                {lastCheck ? (
                  <>
                    <time dateTime={lastCheck[0]}>{lastCheck[1]}</time> <RelativeTime at={lastCheck[0]} serverNow={serverNow} />
                  </>
                ) : (
                  'No data yet'
                )}
              </td>
              <td data-label="Ubuntu">
                {release}{' '}
                <a href={`/vms/${id}/packages`} className="badge-link">
                  <ReleaseBadge support={supports[support]!} />
                </a>
              </td>
              <td data-label="Plan">
                <a href={`/vms/${id}/plan`}>{plan}</a>
                {forecast ? (
                  <div className={`small ${forecast[1] ? 'forecast-now' : 'muted'}`} data-testid="nearest-forecast">
                    {forecast[0]}
                    {forecast[2] ? (
                      <>
                        {' '}
                        <time dateTime={forecast[2][0]}>{forecast[2][1]}</time>.
                      </>
                    ) : (
                      '.'
                    )}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
