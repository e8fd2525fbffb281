import type { Metadata } from 'next';
import { ReleaseBadge } from '@/app/_components/release-badge';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { vmSupportStatus } from '@/lib/guides/vm-support';

export const metadata: Metadata = { title: 'Ubuntu releases' };

export default async function ReleasesPage() {
  await requireCustomer();
  const { releases, source } = await loadReleaseTable(getDb());
  const today = new Date();
  // Newest first: the releases people run are at the top.
  const rows = [...releases].reverse();
  return (
    <>
      <h1>Ubuntu releases and their support</h1>
      <p className="muted" data-testid="release-source">
        Source of the dates: {source.customerDescription}
      </p>
      <p className="small muted">
        Standard support is when a release gets free security updates; servers follow the server date where it differs.
        Expanded Security Maintenance (ESM) needs Ubuntu Pro. “Ending” means within 90 days.
      </p>
      <div className="table-wrap">
        <table className="stack">
          <caption className="visually-hidden">Ubuntu releases and their support dates</caption>
          <thead>
            <tr>
              <th scope="col">Release</th>
              <th scope="col">Series</th>
              <th scope="col">Released</th>
              <th scope="col">End of standard support</th>
              <th scope="col">Servers</th>
              <th scope="col">End of ESM</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const support = vmSupportStatus(releases, r.version, today);
              return (
                <tr key={r.series}>
                  <th scope="row">
                    {r.fullVersion} <span className="muted">{r.codename}</span>
                  </th>
                  <td data-label="Series">
                    <code>{r.series}</code>
                  </td>
                  <td data-label="Released">{r.released}</td>
                  <td data-label="End of standard support">{r.eol}</td>
                  <td data-label="Servers">{r.eolServer && r.eolServer !== r.eol ? r.eolServer : '—'}</td>
                  <td data-label="End of ESM">{r.eolEsm ?? '—'}</td>
                  <td data-label="Status">{support.status && !support.status.released ? <span className="muted">not released yet</span> : <ReleaseBadge support={support} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
